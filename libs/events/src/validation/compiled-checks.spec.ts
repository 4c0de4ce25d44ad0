import { Expose, Transform, Type } from 'class-transformer';
import { JSONSchema } from 'class-validator-jsonschema';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsEmail, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength, Min, MinLength, ValidateIf, ValidateNested } from 'class-validator';
import { readExample } from '../catalog/released-schemas';
import { EventEnvelopeRules } from '../envelope/event-envelope';
import { EventDefinition } from '../event-definition';
import { OrderCreatedV2 } from '../order-service';
import { TOPICS, TopicDefinition } from '../topics';
import { compiledChecks, compiledClassCheck, onlyFastRules } from './compiled-checks';
import { validateInstance } from './validate-instance';

const VERSIONS = Object.values(TOPICS).flatMap((topic: TopicDefinition) => topic.events.map((definition) => ({ topic, definition })));
const UUID = '0b7e8a52-3c1d-4f7a-9e2b-5a6c7d8e9f01';

/** Values that sit on or just past the edge of some rule: types, lengths, formats, enums. */
const EDGE_VALUES: unknown[] = [
  null, '', ' ', 'x', 'x'.repeat(64), 'x'.repeat(65), '\uFE0F', 'a\uFE0F'.repeat(40), '\uD83D\uDE00'.repeat(64),
  0, 1, -1, 1.5, 2, 1e21, Infinity, -Infinity, true, [], [{}], {}, [1], ['x'],
  UUID, UUID.toUpperCase(), `urn:uuid:${UUID}`, '00000000-0000-0000-0000-000000000000', '0b7e8a52-3c1d-9f7a-9e2b-5a6c7d8e9f01',
  '2026-11-25T10:00:00.000Z', '2026-11-25', '2026-02-30T10:00:00Z', '2026-11-25T10:00:00+01:00',
  'web', 'unknown', 'INSUFFICIENT_STOCK', 'UNKNOWN_SKU', 'OrderCreated',
];

/** The example with the value at each path replaced by each edge value, and with each path removed. */
function* variants(example: unknown): Generator<unknown> {
  function* at(value: unknown, replace: (next: unknown) => unknown): Generator<unknown> {
    for (const edge of EDGE_VALUES) yield replace(edge);
    if (Array.isArray(value)) {
      yield replace(Array.from({ length: 101 }, () => value[0]));
      for (let index = 0; index < value.length; index++) {
        yield* at(value[index], (next) => replace(value.map((item, i) => (i === index ? next : item))));
      }
    } else if (typeof value === 'object' && value !== null) {
      for (const key of Object.keys(value)) {
        const rest = Object.fromEntries(Object.entries(value).filter(([other]) => other !== key));
        yield replace(rest);
        yield* at((value as Record<string, unknown>)[key], (next) => replace({ ...value, [key]: next }));
      }
    }
  }
  yield example;
  yield* at(example, (next) => next);
}

/** What class-validator says of a message of this definition: the payload (stripped) if valid. */
function classValidatorVerdict(definition: EventDefinition, message: unknown): { valid: boolean; payload?: unknown } {
  if (validateInstance(EventEnvelopeRules, message).errors.length > 0) return { valid: false };
  const envelope = message as { type: unknown; version: unknown; payload: unknown };
  if (envelope.type !== definition.type || envelope.version !== definition.version) return { valid: false };
  const { value, errors } = validateInstance(definition.payloadClass, envelope.payload);
  return errors.length > 0 ? { valid: false } : { valid: true, payload: JSON.parse(JSON.stringify(value)) };
}

describe('compiledChecks', () => {
  it.each(VERSIONS.map(({ definition }) => [`${definition.type} v${definition.version}`, definition]))(
    '%s is checked by compiled schemas (the fast path)',
    (_name, definition) => {
      expect(compiledChecks(definition)).toBeDefined();
    },
  );

  it.each(VERSIONS.map(({ topic, definition }) => [`${definition.type} v${definition.version}`, topic, definition] as const))(
    '%s: accepts nothing class-validator refuses, and strips what it strips (edge values at every field)',
    (_name, topic, definition) => {
      const checks = compiledChecks(definition);
      const outcomes = { bothAccept: 0, bothRefuse: 0, onlyClassValidatorAccepts: 0 };
      for (const variant of variants(readExample(topic, definition))) {
        const judged = classValidatorVerdict(definition, structuredClone(variant));
        const checked = structuredClone(variant) as { payload: unknown };
        const accepted = checks?.message(checked) ?? false;
        if (accepted) {
          expect({ variant, valid: judged.valid }).toEqual({ variant, valid: true });
          expect(checked.payload).toEqual(judged.payload);
          outcomes.bothAccept++;
        } else if (judged.valid) {
          outcomes.onlyClassValidatorAccepts++; // parseEvent then asks class-validator: accepted all the same
        } else {
          outcomes.bothRefuse++;
        }
      }
      // The variants really probe both sides of the rules.
      expect(outcomes.bothAccept).toBeGreaterThan(5);
      expect(outcomes.bothRefuse).toBeGreaterThan(50);
    },
  );

  it('removes undeclared payload fields, nested ones too, and keeps undeclared envelope fields', () => {
    const example = readExample(TOPICS.orderCreated, OrderCreatedV2) as { payload: { items: object[] } };
    const message = { ...example, tenant: 'eu', payload: { ...example.payload, giftWrap: true, items: [{ ...example.payload.items[0], colour: 'red' }] } };
    expect(compiledChecks(OrderCreatedV2)?.message(message)).toBe(true);
    expect(message).toHaveProperty('tenant', 'eu');
    expect(message.payload).not.toHaveProperty('giftWrap');
    expect(message.payload.items[0]).not.toHaveProperty('colour');
  });

  describe('a request body class (unknown properties refused, as HTTP input is)', () => {
    class Line {
      @IsString() @IsNotEmpty() @MaxLength(64) sku: string;
      @IsInt() @Min(1) quantity: number;
    }
    class Body {
      @IsString() @IsNotEmpty() @MaxLength(64) customerId: string;
      @IsArray() @ArrayMinSize(1) @ArrayMaxSize(100) @ValidateNested({ each: true }) @Type(() => Line) items: Line[];
      @IsOptional() @IsIn(['web', 'mobile']) channel?: string;
    }
    const valid = { customerId: 'c-1', items: [{ sku: 'SKU-1', quantity: 2 }], channel: 'web' };

    it('accepts nothing class-validator refuses, unknown properties included, and changes nothing it accepts', () => {
      const check = compiledClassCheck(Body, 'reject');
      expect(check).toBeDefined();
      const outcomes = { bothAccept: 0, bothRefuse: 0, onlyClassValidatorAccepts: 0 };
      for (const variant of [...variants(valid), { ...valid, extra: 1 }, { ...valid, items: [{ ...valid.items[0], colour: 'red' }] }]) {
        const judged = validateInstance(Body, structuredClone(variant), 'reject').errors.length === 0;
        const checked = structuredClone(variant);
        if (check?.(checked)) {
          expect({ variant, judged }).toEqual({ variant, judged: true });
          expect(checked).toEqual(variant);
          outcomes.bothAccept++;
        } else if (judged) outcomes.onlyClassValidatorAccepts++;
        else outcomes.bothRefuse++;
      }
      expect(outcomes.bothAccept).toBeGreaterThan(5);
      expect(outcomes.bothRefuse).toBeGreaterThan(50);
    });

    it('has no compiled check for a class without rules or a built-in type (class-validator decides those)', () => {
      class Bare {
        name: string;
      }
      expect(compiledClassCheck(Bare, 'reject')).toBeUndefined();
      expect(compiledClassCheck(String as never, 'reject')).toBeUndefined();
    });
  });

  it('requires an integer whatever order @Min and @IsInt are written in (the generator keeps the last type)', () => {
    class MinFirst {
      @Min(1) @IsInt() quantity: number;
    }
    class EachMinFirst {
      @IsArray() @Min(1, { each: true }) @IsInt({ each: true }) quantities: number[];
    }
    expect(compiledClassCheck(MinFirst, 'reject')?.({ quantity: 1.5 })).toBe(false);
    expect(compiledClassCheck(MinFirst, 'reject')?.({ quantity: 2 })).toBe(true);
    expect(compiledClassCheck(EachMinFirst, 'reject')?.({ quantities: [2, 1.5] })).toBe(false);
    expect(compiledClassCheck(EachMinFirst, 'reject')?.({ quantities: [2, 3] })).toBe(true);
  });

  describe('leaves to class-validator a class with a rule the schema cannot mirror, or with methods', () => {
    class WithMinLength {
      @MinLength(2) name: string;
    }
    class WithEmail {
      @IsEmail() email: string;
    }
    class WithVersionedUuid {
      @IsUUID('4') id: string;
    }
    class WithCondition {
      @ValidateIf(() => false) @IsUUID() id: string;
    }
    class WithMethod {
      @IsUUID() id: string;
      label(): string {
        return `#${this.id}`;
      }
    }
    class WithNestedMethod {
      @ValidateNested() @Type(() => WithMethod) inner: WithMethod;
    }
    class WithTwoTypes {
      @IsString() @IsInt() value: string;
    }
    class WithTwoLists {
      @IsIn(['a', 'b']) @IsIn(['b', 'c']) value: string;
    }
    class WithEmptyList {
      @IsIn([]) value: string;
    }
    class WithMixedList {
      @IsIn(['a', 1]) value: string;
    }
    class WithTransform {
      @Transform(({ value }) => String(value).trim()) @IsString() value: string;
    }
    class WithRenamedField {
      @Expose({ name: 'wire_name' }) @IsString() value: string;
    }
    class WithDefault {
      @IsOptional() @IsString() value?: string = 'default';
    }
    class WithHandWrittenSchema {
      @JSONSchema({ type: 'string' }) @IsInt() value: number;
    }
    it.each([
      WithMinLength, WithEmail, WithVersionedUuid, WithCondition, WithMethod, WithNestedMethod, WithTwoTypes, WithTwoLists,
      WithEmptyList, WithMixedList, WithTransform, WithRenamedField, WithDefault, WithHandWrittenSchema,
    ])('%p', (cls) => {
      expect(onlyFastRules(cls)).toBe(false);
    });
  });
});
