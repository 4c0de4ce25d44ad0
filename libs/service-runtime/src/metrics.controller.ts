// GET /metrics: the process's Prometheus metrics in the text exposition format.
import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { metricsRegistry } from '@platform/observability';

@ApiTags('observability')
@Controller('metrics')
export class MetricsController {
  @Get()
  @Header('content-type', metricsRegistry.contentType)
  @ApiOkResponse({ description: 'Prometheus text format: event flow, consumer lag, outbox backlog, HTTP and Node runtime metrics' })
  metrics(): Promise<string> {
    return metricsRegistry.metrics();
  }
}
