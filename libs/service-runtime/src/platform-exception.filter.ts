// The one global exception filter of every service, on top of Nest's usual answers:
// - RPC (Kafka handler) errors pass through unchanged. Nest's default RPC filter would turn any of
//   them into {status, message: 'Internal server error'}, losing its class, message and stack; the
//   transport (libs/messaging ReliableKafkaServer) needs the original error to decide between retry
//   and dead letter and to record why.
// - A body over the service's limit is answered 413 with a message that names the limit (Fastify's
//   own says only "Request body is too large").
// Registered on the app before the microservice is connected: Nest binds filters to handlers then.
import { ArgumentsHost, Catch, HttpException, HttpServer, HttpStatus, PayloadTooLargeException } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { Observable, throwError } from 'rxjs';
import { payloadTooLargeMessage } from './body-limit';

@Catch()
export class PlatformExceptionFilter extends BaseExceptionFilter {
  constructor(
    httpAdapter: HttpServer,
    private readonly bodyLimit: string,
  ) {
    super(httpAdapter);
  }

  override catch(exception: unknown, host: ArgumentsHost): Observable<never> | void {
    if (host.getType() === 'rpc') return throwError(() => exception);
    if (exception instanceof HttpException && exception.getStatus() === HttpStatus.PAYLOAD_TOO_LARGE && !(exception instanceof PayloadTooLargeException)) {
      return super.catch(new PayloadTooLargeException({ statusCode: HttpStatus.PAYLOAD_TOO_LARGE, message: payloadTooLargeMessage(this.bodyLimit) }), host);
    }
    return super.catch(exception, host);
  }
}
