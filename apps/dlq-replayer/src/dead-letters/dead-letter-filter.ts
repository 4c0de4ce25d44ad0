// Which dead letters a listing, a replay or a resolve is about. The same filter fields serve the
// query string of GET /dlq/:topic/messages and the "select" object of replay and resolve.
import { ApiPropertyOptional } from '@nestjs/swagger';
import { TOPICS } from '@platform/events';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsISO8601, IsOptional, IsString, Max, Min, ValidateBy } from 'class-validator';

export class DeadLetterFilter {
  @ApiPropertyOptional({ description: 'kafka_dlt-original-topic', example: TOPICS.orderCreated.name })
  @IsOptional()
  @IsString()
  originalTopic?: string;

  @ApiPropertyOptional({ description: 'kafka_dlt-exception-fqcn', example: 'EventRejection.InvalidPayload' })
  @IsOptional()
  @IsString()
  exception?: string;

  @ApiPropertyOptional({ description: 'the message key (an orderId)' })
  @IsOptional()
  @IsString()
  key?: string;

  @ApiPropertyOptional({ description: 'dead-lettered at or after (ISO 8601)' })
  @IsOptional()
  @IsISO8601()
  from?: string;

  @ApiPropertyOptional({ description: 'dead-lettered before (ISO 8601)' })
  @IsOptional()
  @IsISO8601()
  to?: string;

  @ApiPropertyOptional({ enum: ['active', 'open', 'replayed', 'resolved', 'all'], default: 'active', description: 'active = open or replayed (resolved ones drop out)' })
  @IsOptional()
  @IsIn(['active', 'open', 'replayed', 'resolved', 'all'])
  status?: 'active' | 'open' | 'replayed' | 'resolved' | 'all';
}

export class ListDeadLettersQuery extends DeadLetterFilter {
  @ApiPropertyOptional({ default: 50, maximum: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  cursor?: string;

  @ApiPropertyOptional({ enum: ['newest', 'oldest'], default: 'newest' })
  @IsOptional()
  @IsIn(['newest', 'oldest'])
  order?: 'newest' | 'oldest';

  @ApiPropertyOptional({
    enum: ['all', 'summary'],
    default: 'all',
    description: 'summary: each letter without its value preview and headers (valueBytes stays), as a listing that polls needs',
  })
  @IsOptional()
  @IsIn(['all', 'summary'])
  fields?: 'all' | 'summary';
}

/** A selection: the filter fields, or an explicit list of [partition, offset] pairs. */
export class DeadLetterSelection extends DeadLetterFilter {
  @ApiPropertyOptional({ type: 'array', items: { type: 'array', items: { type: 'integer' } }, example: [[0, 12], [2, 7]] })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10_000)
  @IsPartitionOffsetPairs()
  messages?: [number, number][];
}

function IsPartitionOffsetPairs(): PropertyDecorator {
  return ValidateBy({
    name: 'isPartitionOffsetPairs',
    validator: {
      validate: (value: unknown) =>
        Array.isArray(value) &&
        value.every((pair) => Array.isArray(pair) && pair.length === 2 && pair.every((n) => Number.isInteger(n) && n >= 0)),
      defaultMessage: () => 'messages must be [partition, offset] pairs of non-negative integers',
    },
  });
}
