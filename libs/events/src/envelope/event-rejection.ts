// Why an incoming message cannot be turned into a known, valid event. These reasons are never
// worth retrying: the same bytes fail the same way. The code names the class of failure (it goes to
// the dead-letter headers later); the message says exactly what was wrong.
export type EventRejectionCode =
  | 'MalformedJson'
  | 'InvalidEnvelope'
  | 'UnknownEventType'
  | 'InvalidPayload';

export class EventRejection extends Error {
  constructor(
    readonly code: EventRejectionCode,
    message: string,
  ) {
    super(message);
    this.name = code;
  }
}
