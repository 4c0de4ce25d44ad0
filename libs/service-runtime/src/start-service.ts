// Starts a NestJS service the same way in production (main.ts) and in tests: HTTP (Fastify) with strict
// validation and OpenAPI at /docs, security headers, a body size limit and optional per-route rate
// limits, the Kafka consumer through @nestjs/microservices, and a clean
// shutdown on SIGTERM/SIGINT: consumers leave their group, the outbox relay finishes its batch,
// producers flush, the database closes, and the process exits 0.
import { INestApplication, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MicroserviceOptions } from '@nestjs/microservices';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { initMetrics, initTracing, JsonLogger, logSettingsFromEnv, shutdownTracing } from '@platform/observability';
import { bodyLimitBytes, DEFAULT_BODY_LIMIT } from './body-limit';
import { refuseNulText } from './nul-text.hook';
import { CompiledValidationPipe } from './compiled-validation.pipe';
import { httpObservability } from './http-observability';
import { PlatformExceptionFilter } from './platform-exception.filter';
import { rateLimitHook, rateLimitMessage, RouteRateLimit } from './rate-limit.hook';
import { securityHeaders } from './security-headers';

export interface ServiceDefinition {
  name: string;
  description: string;
  module: unknown;
  port: number;
  /** Host to bind; 0.0.0.0 unless told otherwise. */
  host?: string;
  consumer?: MicroserviceOptions;
  /** Largest request body, e.g. `64kb`; a bigger one is answered 413. Default 100kb. */
  bodyLimit?: string;
  /** Requests per second allowed on single routes, per process; past it the route answers 429. */
  rateLimits?: RouteRateLimit[];
}

export async function startService(service: ServiceDefinition): Promise<INestApplication> {
  const jsonLogger = new JsonLogger({ service: service.name, ...logSettingsFromEnv() });
  Logger.overrideLogger(jsonLogger);
  const logger = new Logger(service.name);
  initMetrics(service.name);
  const tracing = initTracing(service.name);
  const bodyLimit = service.bodyLimit ?? DEFAULT_BODY_LIMIT;
  // Fastify rather than Express: order-service takes about a tenth less CPU per order at 1,000 orders/s
  // (docs/benchmarks.md, session 13).
  // Idle connections are kept longer than clients and load balancers keep them (Node's default is
  // 5 s), so the server is not the side closing a connection a client is just reusing. Paths match
  // as Express matched them (a trailing slash ignored, letter case too; parameters keep their case),
  // so no client URL that worked before is now a 404.
  const routerOptions = { ignoreTrailingSlash: true, caseSensitive: false };
  const adapter = new FastifyAdapter({ bodyLimit: bodyLimitBytes(bodyLimit), keepAliveTimeout: 65_000, routerOptions });
  const app = await NestFactory.create<NestFastifyApplication>(service.module as never, adapter, { logger: jsonLogger });
  const fastify = app.getHttpAdapter().getInstance();
  const observability = httpObservability();
  // In this order, before any route is registered: the arrival time first; the security headers are
  // on every answer, a 429 and a 404 included; a refused request is not read further.
  fastify.addHook('onRequest', observability.onRequest);
  fastify.addHook('onRequest', securityHeaders());
  for (const route of service.rateLimits ?? []) fastify.addHook('onRequest', rateLimitHook(route));
  fastify.addHook('preValidation', refuseNulText);
  fastify.addHook('preHandler', observability.preHandler);
  app.useGlobalPipes(new CompiledValidationPipe());
  app.useGlobalFilters(new PlatformExceptionFilter(app.getHttpAdapter(), bodyLimit));
  const openApi = new DocumentBuilder().setTitle(service.name).setDescription(service.description).build();
  SwaggerModule.setup('docs', app, () => withRateLimitResponses(SwaggerModule.createDocument(app, openApi), service.rateLimits ?? []));

  if (service.consumer) {
    // inheritAppConfig gives the consumer the exception filter, which must be global before this
    // point (Nest binds filters to handlers on connecting). It shares the ValidationPipe too, which
    // never touches handlers' @Ctx() arguments; events are validated by libs/events parseEvent.
    app.connectMicroservice(service.consumer, { inheritAppConfig: true });
    await app.startAllMicroservices();
  }
  await app.listen(service.port, service.host ?? '0.0.0.0');
  // Above keepAliveTimeout, as Node requires of the two.
  app.getHttpServer().headersTimeout = 66_000;
  logger.log(`listening on http://localhost:${service.port} (OpenAPI at /docs, metrics at /metrics, health at /health/ready)`);
  logger.log(tracing.exporting ? `exporting traces over OTLP to ${tracing.endpoint}` : 'traces propagated in Kafka headers; set OTEL_EXPORTER_OTLP_ENDPOINT to export them');
  return app;
}

/** Documents the 429 answer of each rate-limited route (the limit is applied outside the controllers). */
function withRateLimitResponses(document: OpenAPIObject, routes: RouteRateLimit[]): OpenAPIObject {
  for (const route of routes) {
    const operation = document.paths[route.path]?.[route.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete'];
    if (!operation) continue;
    operation.responses['429'] = {
      description: `More than ${route.requestsPerSecond} requests per second in this process; \`Retry-After\` says when to try again. Example message: "${rateLimitMessage(route, 1)}"`,
    };
  }
  return document;
}

/** main.ts entry: start, stop cleanly on SIGTERM/SIGINT, and on a start-up failure print the reason and exit 1. */
export function runService(start: () => Promise<INestApplication>, name: string, forceAfterMs = 30_000): void {
  start()
    .then((app) => {
      const logger = new Logger(name);
      let stopping = false;
      const stop = (signal: NodeJS.Signals) => {
        if (stopping) {
          logger.warn(`${signal} again: exiting without waiting`);
          process.exit(1);
        }
        stopping = true;
        logger.log(`${signal} received, shutting down`);
        // Nest's own shutdown hooks re-raise the signal after closing (exit code "killed"); closing here
        // instead lets the process report success, and the timer keeps a stuck close from hanging forever.
        setTimeout(() => {
          logger.error(`shutdown took longer than ${forceAfterMs} ms, exiting`);
          process.exit(1);
        }, forceAfterMs).unref();
        app.close().then(shutdownTracing).then(
          () => {
            logger.log('stopped');
            process.exit(0);
          },
          (error: Error) => {
            logger.error(`shutdown failed: ${error.message}`);
            process.exit(1);
          },
        );
      };
      process.on('SIGTERM', () => stop('SIGTERM'));
      process.on('SIGINT', () => stop('SIGINT'));
    })
    .catch((error: Error) => {
      process.stderr.write(`${name}: failed to start: ${error.message}\n`);
      process.exit(1);
    });
}
