// Persistence shared by the services: open PostgreSQL or embedded PGlite behind one Drizzle type,
// run migrations, and the outbox and processed-event tables every service uses.
export * from './database-config';
export * from './open-database';
export * from './migrations';
export * from './outbox/outbox.migration';
export * from './outbox/outbox-store';
export * from './inbox/processed-events.migration';
export * from './inbox/processed-events';
export * from './group-commit';
export * from './array-column';
export * from './database.providers';
export * from './database-health-check';
