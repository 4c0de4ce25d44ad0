// Nest's default RPC exception filter turns any handler error into {status, message: 'Internal server
// error'}, losing its class, message and stack. The transport (libs/messaging ReliableKafkaServer)
// needs the original error to decide between retry and dead letter and to record why; this filter
// hands RPC errors over unchanged and leaves HTTP errors to Nest's usual handling.
// Registered on the app before the microservice is connected: Nest binds filters to handlers then.
import { ArgumentsHost, Catch } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { Observable, throwError } from 'rxjs';

@Catch()
export class PassThroughRpcExceptionFilter extends BaseExceptionFilter {
  override catch(exception: unknown, host: ArgumentsHost): Observable<never> | void {
    if (host.getType() === 'rpc') return throwError(() => exception);
    return super.catch(exception, host);
  }
}
