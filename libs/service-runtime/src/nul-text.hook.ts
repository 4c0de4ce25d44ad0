// PostgreSQL cannot store the NUL character (U+0000) in text: a request whose JSON body, path or query
// carried one ("\u0000" in a customerId, %00 in a SKU) passed validation and failed at the insert,
// answered 500 as if the service were broken. Refused here with a 400 that names the field, before
// validation and the handler. A Fastify preValidation hook: the body is parsed by then.
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';

export function refuseNulText(request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void {
  const where = nulPath(request.params, 'path') ?? nulPath(request.query, 'query') ?? nulPath(request.body, 'body');
  if (where === undefined) return done();
  void reply.code(400).send({ statusCode: 400, message: `${where} must not contain the NUL character (U+0000)`, error: 'Bad Request' });
}

/** Where the first string holding NUL is (`body.items[0].sku`), or undefined. */
export function nulPath(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path : undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = nulPath(value[i], `${path}[${i}]`);
      if (found) return found;
    }
    return undefined;
  }
  if (value && typeof value === 'object') {
    for (const [name, field] of Object.entries(value)) {
      const found = name.includes('\u0000') ? `${path} property name` : nulPath(field, `${path}.${name}`);
      if (found) return found;
    }
  }
  return undefined;
}
