// Turns raw message bytes into a validated envelope whose payload has the fields of the event's class
// (usually a plain object: do not rely on it being an instance), or an EventRejection saying exactly
// why not. Consumers call this before any business code. A valid event is accepted by the compiled checks
// (validation/compiled-checks.ts); anything they refuse is judged, and its reason written, by
// class-validator.
import { EventDefinition } from '../event-definition';
import { TopicDefinition } from '../topics';
import { compiledChecks } from '../validation/compiled-checks';
import { nulPath, nulRefusal } from '../validation/nul-path';
import { validateInstance } from '../validation/validate-instance';
import { EventEnvelope, EventEnvelopeRules } from './event-envelope';
import { EventRejection } from './event-rejection';

export interface ParsedEvent<P extends object = object> {
  /** The event as the newest version of the topic (older versions are upcast). */
  envelope: EventEnvelope<P>;
  definition: EventDefinition<P>;
  /** The version that was on the wire. */
  receivedVersion: number;
}

export function parseEvent(topic: TopicDefinition, raw: unknown): ParsedEvent {
  const plain = decodeJson(raw);
  const parsed = acceptedByCompiledChecks(topic, plain) ?? validatedByClasses(topic, plain);
  // After validation: a field the checks dropped (an unknown payload field) is never stored, and an
  // unknown type or version keeps its own reason.
  refuseNul(parsed.envelope, raw);
  return parsed;
}

/** The event if the compiled checks accept it at every version up to the newest; undefined to ask class-validator. */
function acceptedByCompiledChecks(topic: TopicDefinition, plain: unknown): ParsedEvent | undefined {
  if (typeof plain !== 'object' || plain === null) return undefined;
  const envelope = plain as EventEnvelope;
  const received = definitionOf(topic, envelope);
  if (!received || !compiledChecks(received)?.message(envelope)) return undefined;
  let current = received;
  let payload = envelope.payload;
  for (let next = newerOf(topic, current); next; next = newerOf(topic, current)) {
    payload = next.upcastFrom?.convert(payload) ?? payload;
    if (!compiledChecks(next)?.payload(payload)) return undefined;
    current = next;
  }
  return { envelope: { ...envelope, version: current.version, payload }, definition: current, receivedVersion: envelope.version };
}

function validatedByClasses(topic: TopicDefinition, plain: unknown): ParsedEvent {
  const { errors: envelopeErrors } = validateInstance(EventEnvelopeRules, plain);
  if (envelopeErrors.length > 0) {
    throw new EventRejection('InvalidEnvelope', `envelope invalid: ${envelopeErrors.join('; ')}`);
  }
  const envelope = plain as EventEnvelope;
  const definition = definitionOf(topic, envelope);
  if (!definition) {
    const known = topic.events.map((event) => `${event.type} v${event.version}`).join(', ');
    throw new EventRejection(
      'UnknownEventType',
      `${envelope.type} v${envelope.version} is not carried by ${topic.name} (known: ${known})`,
    );
  }
  let current = definition;
  let payload = validatedPayload(current, envelope.payload);
  for (let next = newerOf(topic, current); next; next = newerOf(topic, current)) {
    payload = validatedPayload(next, next.upcastFrom?.convert(payload) ?? payload);
    current = next;
  }
  return { envelope: { ...envelope, version: current.version, payload }, definition: current, receivedVersion: envelope.version };
}

function validatedPayload(definition: EventDefinition, plain: unknown): object {
  const { value, errors } = validateInstance(definition.payloadClass, plain);
  if (errors.length > 0) {
    throw new EventRejection('InvalidPayload', `${definition.type} v${definition.version} payload invalid: ${errors.join('; ')}`);
  }
  return value;
}

/** The version of the topic's events this envelope names, if the topic carries it. */
function definitionOf(topic: TopicDefinition, envelope: EventEnvelope): EventDefinition | undefined {
  return topic.events.find((candidate) => candidate.type === envelope.type && candidate.version === envelope.version);
}

/** The next version on the topic that knows how to upcast from `definition`. */
function newerOf(topic: TopicDefinition, definition: EventDefinition): EventDefinition | undefined {
  return topic.events.find((candidate) => candidate.upcastFrom?.definition === definition);
}

/**
 * A string holding NUL anywhere in the validated envelope (what a handler gets) is refused as
 * invalid: it would pass the checks and then fail at every insert, retried until the retry budget is
 * spent. JSON text can carry NUL only escaped, so an event whose text has no `\u0000` is not walked:
 * this costs the hot path one search of the text.
 */
function refuseNul(validated: ParsedEvent['envelope'], raw: unknown): void {
  if ((Buffer.isBuffer(raw) || typeof raw === 'string') && !raw.includes('\\u0000')) return;
  const where = nulPath(validated, 'event');
  if (where === undefined) return;
  throw new EventRejection(/^event\.payload($|[.[ ])/.test(where) ? 'InvalidPayload' : 'InvalidEnvelope', nulRefusal(where));
}

function decodeJson(raw: unknown): unknown {
  if (raw === null || raw === undefined) {
    throw new EventRejection('MalformedJson', 'message has no value');
  }
  if (!Buffer.isBuffer(raw) && typeof raw !== 'string') {
    // Already decoded by the transport. A copy: the checks remove undeclared payload fields in place.
    return structuredClone(raw);
  }
  const text = raw.toString();
  try {
    return JSON.parse(text);
  } catch (error) {
    // V8's message quotes the text too: control characters of a binary value are escaped in both,
    // so the reason stays readable (and storable where it goes: headers, the dlq-replayer's index).
    throw new EventRejection('MalformedJson', escapeControlCharacters(`value is not JSON (${(error as Error).message}): ${text.slice(0, 80)}`));
  }
}

function escapeControlCharacters(text: string): string {
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  return text.replace(/[\u0000-\u001f\u007f]/g, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
