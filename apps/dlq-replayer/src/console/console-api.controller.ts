// The operations console's read API: cluster and topics, consumer groups with lag, and the trace of
// one order. Dead letters are read, replayed and resolved through the /dlq API; same bearer token.
import { BadRequestException, Controller, Get, Param, ServiceUnavailableException, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { BearerTokenGuard } from '../http/bearer-token.guard';
import { ClusterService } from './cluster.service';
import { OrderTraceService } from './order-trace.service';

@ApiTags('operations console')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'missing or wrong bearer token' })
@UseGuards(BearerTokenGuard)
@Controller('console/api')
export class ConsoleApiController {
  constructor(
    private readonly cluster: ClusterService,
    private readonly traces: OrderTraceService,
  ) {}

  @Get('cluster')
  @ApiOkResponse({ description: 'brokers, and every topic with partitions (leader, replicas, ISR, start and end offsets) and its message rate' })
  overview() {
    return unavailableWithReason(() => this.cluster.overview());
  }

  @Get('groups')
  @ApiOkResponse({ description: 'every consumer group: state, members and their partitions, committed offset and lag per partition' })
  groups() {
    return unavailableWithReason(() => this.cluster.groups());
  }

  @Get('orders/:orderId/trace')
  @ApiOkResponse({ description: 'every event and dead letter of the order, in time order, with each consumer group’s outcome' })
  trace(@Param('orderId') orderId: string) {
    if (!/^[\w.:-]{1,100}$/.test(orderId)) throw new BadRequestException('orderId must be 1-100 letters, digits, ".", ":", "_" or "-" (an order id is a UUID)');
    return unavailableWithReason(() => this.traces.trace(orderId));
  }
}

/** A broker or database that does not answer is a 503 with its reason (the console shows it), not a bare 500. */
async function unavailableWithReason<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw new ServiceUnavailableException(`Kafka or the database did not answer: ${(error as Error).message}`);
  }
}
