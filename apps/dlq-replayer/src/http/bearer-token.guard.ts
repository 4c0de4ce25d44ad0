// Every dlq-replayer endpoint needs `Authorization: Bearer <DLQ_REPLAYER_TOKEN>`: replays write to
// production topics. Compared in constant time.
import { CanActivate, ExecutionContext, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { DLQ_REPLAYER_CONFIG } from '../config/config.tokens';
import { DlqReplayerConfig } from '../config/dlq-replayer.config';

@Injectable()
export class BearerTokenGuard implements CanActivate {
  private readonly expected: Buffer;

  constructor(@Inject(DLQ_REPLAYER_CONFIG) config: DlqReplayerConfig) {
    this.expected = Buffer.from(config.token);
  }

  canActivate(context: ExecutionContext): boolean {
    const header = context.switchToHttp().getRequest<FastifyRequest>().headers.authorization ?? '';
    const given = Buffer.from(/^Bearer (.+)$/.exec(header)?.[1] ?? '');
    if (given.length !== this.expected.length || !timingSafeEqual(given, this.expected)) {
      throw new UnauthorizedException('missing or wrong bearer token (Authorization: Bearer <DLQ_REPLAYER_TOKEN>)');
    }
    return true;
  }
}
