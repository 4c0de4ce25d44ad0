import { loadOrderServiceConfig } from './order-service.config';

describe('loadOrderServiceConfig', () => {
  it('defaults to port 3001, localhost:9092 and an embedded database under .local', () => {
    const config = loadOrderServiceConfig({});
    expect(config.port).toBe(3001);
    expect(config.kafkaBrokers).toEqual(['localhost:9092']);
    expect(config.database).toMatchObject({ driver: 'pglite', schema: 'order_service' });
    expect(config.database.driver === 'pglite' && config.database.dataDir).toMatch(/\.local\/order-service\/db$/);
  });

  it('uses PostgreSQL when DATABASE_URL is set', () => {
    const config = loadOrderServiceConfig({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test' });
    expect(config.database).toEqual({ driver: 'postgres', url: 'postgres://postgres@127.0.0.1:5432/test', schema: 'order_service' });
  });

  it.each([
    [{ KAFKA_BROKERS: 'localhost' }, /KAFKA_BROKERS/],
    [{ PORT: 'x' }, /PORT must be a port number/],
    [{ DATABASE_URL: 'mysql://db' }, /DATABASE_URL must be a postgres:\/\/ URL/],
  ])('refuses %j with a message naming the variable', (env, message) => {
    expect(() => loadOrderServiceConfig(env)).toThrow(message);
  });
});
