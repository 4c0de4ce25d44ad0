// A fast "yes" for valid events. class-transformer and class-validator took a fifth of
// inventory-service's CPU at 4,000 events/s (profile in docs/benchmarks.md). The JSON Schemas the
// catalog generates from the same classes, compiled by ajv, check a valid event for a fraction of that.
// These checks only accept. parseEvent sends whatever they refuse through class-validator, which stays
// the judge and writes the reason. So a check must never accept what class-validator refuses:
//   - a class gets one only if every rule on it and on its nested classes is in FAST_RULES, rules
//     whose generated schema refuses at least what the rule refuses;
//   - the uuid and date-time formats are class-validator's own functions;
//   - unknown payload properties are removed, as class-validator's whitelist does (a tolerant reader).
// Envelope fields nobody declared are kept, as before.
import Ajv, { ValidateFunction } from 'ajv';
import { getMetadataStorage, isISO8601, isUUID } from 'class-validator';
import { classSchemas, envelopeSchema, JsonSchema, referencedDefinitions } from '../catalog/event-schemas';
import { EventDefinition } from '../event-definition';
// class-transformer ships no types for this internal entry; its @Type metadata names nested classes.
const { defaultMetadataStorage } = require('class-transformer/cjs/storage');

type ClassOf = new () => object;

/**
 * Rule name → whether its constraints keep the schema at least as strict. Not minLength: class-validator
 * counts a character followed by a variation selector (U+FE0E/F) as one, a schema as two, so a schema
 * minLength accepts strings it refuses (for maxLength that makes the schema the stricter). Not a
 * versioned IsUUID: the schema says only "uuid".
 */
const FAST_RULES: Record<string, (constraints: unknown[] | undefined) => boolean> = {
  isString: () => true,
  isNotEmpty: () => true,
  maxLength: () => true,
  isInt: () => true,
  min: () => true,
  isArray: () => true,
  arrayMinSize: () => true,
  arrayMaxSize: () => true,
  isIn: () => true,
  isEnum: () => true,
  isUuid: (constraints) => constraints === undefined || constraints[0] === undefined || constraints[0] === null,
};

export interface CompiledChecks {
  /** The whole message: envelope of this definition's type and version, and its payload. */
  message(plain: unknown): boolean;
  /** A payload alone (one produced by upcasting). */
  payload(plain: unknown): boolean;
}

const ajv = new Ajv({ strict: false, removeAdditional: true, allErrors: false });
ajv.addFormat('uuid', (text: string) => isUUID(text));
ajv.addFormat('date-time', (text: string) => isISO8601(text, { strict: true }));

const compiled = new Map<EventDefinition, CompiledChecks | null>();

/** The compiled checks of this event version, or undefined if its class has a rule they cannot mirror. */
export function compiledChecks(definition: EventDefinition): CompiledChecks | undefined {
  if (!compiled.has(definition)) compiled.set(definition, compile(definition) ?? null);
  return compiled.get(definition) ?? undefined;
}

function compile(definition: EventDefinition): CompiledChecks | undefined {
  if (!onlyFastRules(definition.payloadClass)) return undefined;
  const payloadName = definition.payloadClass.name;
  const definitions = closedDefinitions(referencedDefinitions(payloadName, classSchemas('#/definitions/')));
  const message = ajv.compile({ ...envelopeSchema(definition, `#/definitions/${payloadName}`), definitions });
  const payload = ajv.compile({ $ref: `#/definitions/${payloadName}`, definitions });
  return { message: asCheck(message), payload: asCheck(payload) };
}

function asCheck(validate: ValidateFunction): (plain: unknown) => boolean {
  return (plain) => validate(plain) === true;
}

/** Each class schema with additionalProperties false: ajv (removeAdditional: true) then drops what it does not declare. */
function closedDefinitions(definitions: Record<string, JsonSchema>): Record<string, JsonSchema> {
  return Object.fromEntries(Object.entries(definitions).map(([name, schema]) => [name, { ...schema, additionalProperties: false }]));
}

/** True if every rule of the class, and of each class nested in it through @Type, is in FAST_RULES. */
export function onlyFastRules(cls: ClassOf, seen = new Set<ClassOf>()): boolean {
  if (seen.has(cls)) return true;
  seen.add(cls);
  const rules = getMetadataStorage().getTargetValidationMetadatas(cls, '', true, false);
  return rules.every((rule) => {
    if (rule.type === 'customValidation') return FAST_RULES[rule.name ?? '']?.(rule.constraints) ?? false;
    // IsOptional also lets null through, which the schema refuses: stricter, so safe.
    if (rule.type === 'conditionalValidation') return rule.name === 'isOptional';
    if (rule.type === 'nestedValidation') {
      const nested = defaultMetadataStorage.findTypeMetadata(cls, rule.propertyName)?.typeFunction() as ClassOf | undefined;
      return nested !== undefined && onlyFastRules(nested, seen);
    }
    return false;
  });
}
