// Start-up and configuration conventions shared by every NestJS service of the platform.
export * from './config-error';
export * from './start-service';
export * from './pass-through-rpc-exception.filter';
export * from './health';
export * from './metrics.controller';
export * from './http-observability';
