// Starts a NestJS service the same way in production (main.ts) and in tests: HTTP with strict
// validation and OpenAPI at /docs, the Kafka consumer through @nestjs/microservices, and shutdown
// hooks so SIGTERM/SIGINT make consumers leave their group and producers flush before exit.
import { INestApplication, Logger, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MicroserviceOptions } from '@nestjs/microservices';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

export interface ServiceDefinition {
  name: string;
  description: string;
  module: unknown;
  port: number;
  /** Host to bind; 0.0.0.0 unless told otherwise. */
  host?: string;
  consumer?: MicroserviceOptions;
}

export async function startService(service: ServiceDefinition): Promise<INestApplication> {
  const logger = new Logger(service.name);
  const app = await NestFactory.create(service.module as never, { bufferLogs: false });
  app.enableShutdownHooks();
  app.useGlobalPipes(
    new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }),
  );
  const openApi = new DocumentBuilder().setTitle(service.name).setDescription(service.description).build();
  SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, openApi));

  if (service.consumer) {
    // Handlers validate events themselves (libs/events parseEvent): HTTP pipes stay on HTTP.
    app.connectMicroservice(service.consumer);
    await app.startAllMicroservices();
  }
  await app.listen(service.port, service.host ?? '0.0.0.0');
  logger.log(`listening on http://localhost:${service.port} (OpenAPI at /docs)`);
  return app;
}

/** main.ts entry: start, and on a start-up failure print the reason and exit non-zero. */
export function runService(start: () => Promise<unknown>, name: string): void {
  start().catch((error: Error) => {
    process.stderr.write(`${name}: failed to start: ${error.message}\n`);
    process.exit(1);
  });
}
