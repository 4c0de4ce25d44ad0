// HTTP API of dlq-replayer: find, inspect, replay and resolve dead letters, and read the audit log.
import { Body, Controller, Get, Headers, HttpCode, NotFoundException, Param, ParseIntPipe, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { AuditRepository } from '../audit/audit.repository';
import { DEAD_LETTER_TOPICS } from '../dead-letters/dead-letter-indexer';
import { ListDeadLettersQuery } from '../dead-letters/dead-letter-filter';
import { toListView, toSummaryView, toView } from '../dead-letters/dead-letter.view';
import { DeadLettersRepository, LIST_VALUE_PREVIEW_BYTES } from '../dead-letters/dead-letters.repository';
import { ReplayRequest, ResolveRequest } from '../replay/replay.request';
import { assertDeadLetterTopic, ReplayService } from '../replay/replay.service';
import { BearerTokenGuard } from './bearer-token.guard';
import { ndjsonProgress } from './ndjson-progress';

@ApiTags('dead letters')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'missing or wrong bearer token' })
@UseGuards(BearerTokenGuard)
@Controller('dlq')
export class DlqController {
  constructor(
    private readonly letters: DeadLettersRepository,
    private readonly replays: ReplayService,
    private readonly audit: AuditRepository,
  ) {}

  @Get()
  @ApiOkResponse({ description: 'every DLQ topic of the registry with counts by status, exception class and original topic' })
  async topics() {
    return Promise.all(DEAD_LETTER_TOPICS.map(async (topic) => ({ topic: topic.name, owner: topic.owner, ...(await this.letters.summary(topic.name)) })));
  }

  @Get('audit')
  async auditLog(@Query('limit') limit?: string) {
    return this.audit.latest(Math.min(500, Math.max(1, Number(limit) || 100)));
  }

  @Get(':topic/messages')
  async list(@Param('topic') topic: string, @Query() query: ListDeadLettersQuery) {
    assertDeadLetterTopic(topic);
    const summary = query.fields === 'summary';
    const page = await this.letters.list(topic, query, {
      limit: query.limit ?? 50,
      cursor: query.cursor,
      order: query.order ?? 'newest',
      summary,
    });
    return { items: page.items.map((row) => (summary ? toSummaryView(row) : toListView(row, LIST_VALUE_PREVIEW_BYTES))), nextCursor: page.nextCursor };
  }

  @Get(':topic/messages/:partition/:offset')
  async one(@Param('topic') topic: string, @Param('partition', ParseIntPipe) partition: number, @Param('offset', ParseIntPipe) offset: number) {
    assertDeadLetterTopic(topic);
    const row = await this.letters.find(topic, partition, offset);
    if (!row) throw new NotFoundException(`no dead letter at ${topic}/${partition}/${offset} (not indexed yet, or no such offset)`);
    return toView(row);
  }

  /** With `Accept: application/x-ndjson` the response streams {"progress"} lines, then {"report"}. */
  @Post(':topic/replay')
  @HttpCode(200)
  async replay(
    @Param('topic') topic: string,
    @Body() request: ReplayRequest,
    @Headers('accept') accept: string | undefined,
    @Headers('x-actor') actor: string | undefined,
  ) {
    if (!accept?.includes('application/x-ndjson')) return this.replays.replay(topic, request, actor || 'api');
    return ndjsonProgress((onProgress) => this.replays.replay(topic, request, actor || 'api', onProgress));
  }

  @Post(':topic/resolve')
  @HttpCode(200)
  resolve(@Param('topic') topic: string, @Body() request: ResolveRequest, @Headers('x-actor') actor: string | undefined) {
    return this.replays.resolve(topic, request, actor || 'api');
  }
}
