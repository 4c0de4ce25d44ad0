// Bodies of POST /dlq/:topic/replay and POST /dlq/:topic/resolve.
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsDefined, IsInt, IsOptional, IsString, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { DeadLetterSelection } from '../dead-letters/dead-letter-filter';
import { MAX_REPLAY_RATE } from './replay-limits';

export class ReplayRequest {
  @ApiProperty({ type: DeadLetterSelection, description: 'filters, or explicit [partition, offset] pairs in `messages`' })
  @IsDefined()
  @ValidateNested()
  @Type(() => DeadLetterSelection)
  select: DeadLetterSelection;

  @ApiPropertyOptional({ default: 'original', description: '"original" (kafka_dlt-original-topic) or a topic of the registry' })
  @IsOptional()
  @IsString()
  target?: string;

  @ApiPropertyOptional({ default: true, description: 'report what would happen, write nothing' })
  @IsOptional()
  @IsBoolean()
  dryRun?: boolean;

  @ApiPropertyOptional({ default: 50, minimum: 1, maximum: MAX_REPLAY_RATE })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_REPLAY_RATE)
  ratePerSecond?: number;

  @ApiPropertyOptional({ default: false, description: 'replay messages that were replayed before' })
  @IsOptional()
  @IsBoolean()
  force?: boolean;
}

export class ResolveRequest {
  @ApiProperty({ type: DeadLetterSelection })
  @IsDefined()
  @ValidateNested()
  @Type(() => DeadLetterSelection)
  select: DeadLetterSelection;

  @ApiPropertyOptional({ description: 'why, for the audit log' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  note?: string;
}
