// Start-up and configuration conventions shared by every NestJS service of the platform.
export * from './config-error';
export * from './start-service';
export * from './compiled-validation.pipe';
export * from './platform-exception.filter';
export * from './health';
export * from './metrics.controller';
export * from './http-observability';
export * from './security-headers';
export * from './body-limit';
export * from './fixed-window-rate-limiter';
export * from './rate-limit.hook';
export * from './limits-config';
