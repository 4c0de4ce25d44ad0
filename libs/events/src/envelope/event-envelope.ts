// The one message format on the bus: every event, whatever its type, travels in this envelope
// (JSON, UTF-8). `type` + `version` select the payload class; `correlationId` ties every event of one
// business flow together (the orderId), `causationId` names the event that caused this one.
import { IsInt, IsISO8601, IsNotEmpty, IsObject, IsString, IsUUID, Min, ValidateIf } from 'class-validator';

export interface EventEnvelope<P extends object = object> {
  eventId: string;
  type: string;
  version: number;
  occurredAt: string;
  aggregateId: string;
  correlationId: string;
  causationId: string | null;
  source: string;
  payload: P;
}

/** Validation rules for the envelope fields; the payload is validated by its own class. */
export class EventEnvelopeRules implements EventEnvelope {
  @IsUUID()
  eventId: string;

  @IsString()
  @IsNotEmpty()
  type: string;

  @IsInt()
  @Min(1)
  version: number;

  @IsISO8601({ strict: true })
  occurredAt: string;

  @IsString()
  @IsNotEmpty()
  aggregateId: string;

  @IsString()
  @IsNotEmpty()
  correlationId: string;

  @ValidateIf((envelope: EventEnvelopeRules) => envelope.causationId !== null)
  @IsUUID()
  causationId: string | null;

  @IsString()
  @IsNotEmpty()
  source: string;

  @IsObject()
  payload: object;
}
