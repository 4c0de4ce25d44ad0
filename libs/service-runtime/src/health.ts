// /health/live and /health/ready for every service. Live: the process answers. Ready: each dependency
// check (broker, database) passes within a short timeout; otherwise 503 with the failing check's reason.
// Checks are cached for a moment so a busy probe does not turn into load on the dependencies.
import { Controller, Get, HttpCode, Inject, InjectionToken, Provider, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';

export interface HealthCheck {
  name: string;
  /** Resolves when healthy; rejects with the reason otherwise. */
  check(): Promise<void>;
}

export const HEALTH_CHECKS = Symbol('HEALTH_CHECKS');
const TIMEOUT_MS = 2_000;
const CACHE_MS = 1_000;

type Report = Record<string, { status: 'up' | 'down'; error?: string }>;

@ApiTags('health')
@Controller('health')
export class HealthController {
  private cached?: { at: number; report: Report };

  constructor(@Inject(HEALTH_CHECKS) private readonly checks: HealthCheck[]) {}

  @Get('live')
  @HttpCode(200)
  live() {
    return { status: 'up' };
  }

  @Get('ready')
  @ApiOkResponse({ description: 'every dependency answers' })
  @ApiServiceUnavailableResponse({ description: 'a dependency does not answer; `checks` says which and why' })
  async ready() {
    const report = await this.report();
    const down = Object.values(report).some((entry) => entry.status === 'down');
    if (down) throw new ServiceUnavailableException({ status: 'down', checks: report });
    return { status: 'up', checks: report };
  }

  private async report(): Promise<Report> {
    if (this.cached && Date.now() - this.cached.at < CACHE_MS) return this.cached.report;
    const entries = await Promise.all(
      this.checks.map(async (check) => {
        try {
          await withTimeout(check.check(), TIMEOUT_MS, `${check.name} did not answer within ${TIMEOUT_MS} ms`);
          return [check.name, { status: 'up' as const }] as const;
        } catch (error) {
          return [check.name, { status: 'down' as const, error: (error as Error).message }] as const;
        }
      }),
    );
    const report = Object.fromEntries(entries);
    this.cached = { at: Date.now(), report };
    return report;
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** The provider of a service's checks, built from its own providers; add HealthController beside it. */
export function healthChecksProvider(options: { inject: InjectionToken[]; useFactory: (...deps: never[]) => HealthCheck[] }): Provider {
  return { provide: HEALTH_CHECKS, inject: options.inject, useFactory: options.useFactory };
}
