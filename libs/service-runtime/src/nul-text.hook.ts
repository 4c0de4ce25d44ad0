// A request whose JSON body, path or query carried NUL ("\u0000" in a customerId, %00 in a SKU) passed
// validation and failed at PostgreSQL's insert, answered 500 as if the service were broken. Refused
// here with a 400 that names the field, before validation and the handler. A Fastify preValidation
// hook: the body is parsed by then.
import { nulPath, nulRefusal } from '@platform/events';
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';

export function refuseNulText(request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void {
  const where = nulPath(request.params, 'path') ?? nulPath(request.query, 'query') ?? nulPath(request.body, 'body');
  if (where === undefined) return done();
  void reply.code(400).send({ statusCode: 400, message: nulRefusal(where), error: 'Bad Request' });
}
