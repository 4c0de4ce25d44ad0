// A fast "yes" for valid input. class-transformer and class-validator took a fifth of
// inventory-service's CPU at 4,000 events/s (profile in docs/benchmarks.md). JSON Schemas generated
// from the same classes (class-validator-jsonschema, as the catalog does), compiled by ajv, check a
// valid event or request body for a fraction of that. These checks only accept: the caller sends
// whatever they refuse through class-validator, which stays the judge and writes the reason. So a
// check must never accept what class-validator refuses:
//   - a class gets one only if every rule on it and on its nested classes is in FAST_RULES (rules
//     whose generated schema refuses at least what the rule refuses), each property's rules agree on
//     one JSON type and one list of values (the generator merges them, the last one winning), and
//     nothing reshapes the object on its way to the class (methods, defaults, @Transform, @Expose,
//     @Exclude, subtypes, a hand-written @JSONSchema): a check hands on the plain object;
//   - numbers are strict: a JSON 1e999 is Infinity, which class-validator's IsInt refuses;
//   - the uuid and date-time formats are class-validator's own functions;
//   - undeclared properties are removed ('strip': events, a tolerant reader) or refused ('reject':
//     HTTP bodies), as class-validator's whitelist and forbidNonWhitelisted do.
import Ajv, { ValidateFunction } from 'ajv';
import { TransformationType } from 'class-transformer';
import { getMetadataStorage, isISO8601, isUUID } from 'class-validator';
import { validationMetadataArrayToSchemas } from 'class-validator-jsonschema';
import { getMetadataSchema } from 'class-validator-jsonschema/build/decorators';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';
import { envelopeSchema, JsonSchema } from '../catalog/event-schemas';
import { EventDefinition } from '../event-definition';
import { UnknownProperties } from './validate-instance';
// class-transformer ships no types for this internal entry; its @Type metadata names nested classes.
const { defaultMetadataStorage } = require('class-transformer/cjs/storage');

type ClassOf = new () => object;
export type Check = (plain: unknown) => boolean;

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
  // The generator writes an enum only for a non-empty list of one primitive type; otherwise nothing at all.
  isIn: (constraints) => sameTypedValues(constraints?.[0]),
  isEnum: () => true,
  isUuid: (constraints) => constraints === undefined || constraints[0] === undefined || constraints[0] === null,
};

function ajvFor(unknownProperties: UnknownProperties): Ajv {
  // removeAdditional: true drops only what a schema closes with additionalProperties: false.
  // strictNumbers: without it (strict: false turns it off) a JSON 1e999, parsed to Infinity, passes as an integer.
  const ajv = new Ajv({ strict: false, strictNumbers: true, removeAdditional: unknownProperties === 'strip', allErrors: false });
  ajv.addFormat('uuid', (text: string) => isUUID(text));
  ajv.addFormat('date-time', (text: string) => isISO8601(text, { strict: true }));
  return ajv;
}
const AJV: Record<UnknownProperties, Ajv> = { strip: ajvFor('strip'), reject: ajvFor('reject') };

export interface CompiledChecks {
  /** The whole message: envelope of this definition's type and version, and its payload. */
  message: Check;
  /** A payload alone (one produced by upcasting). */
  payload: Check;
}

const eventChecks = new Map<EventDefinition, CompiledChecks | null>();
const classChecks: Record<UnknownProperties, Map<ClassOf, Check | null>> = { strip: new Map(), reject: new Map() };

/** The compiled checks of this event version (unknown payload fields stripped), or undefined if its class has a rule they cannot mirror. */
export function compiledChecks(definition: EventDefinition): CompiledChecks | undefined {
  return memo(eventChecks, definition, () => {
    const definitions = classDefinitions(definition.payloadClass);
    if (!definitions) return undefined;
    const ref = `#/definitions/${definition.payloadClass.name}`;
    return {
      message: asCheck(AJV.strip.compile({ ...envelopeSchema(definition, ref), definitions })),
      payload: asCheck(AJV.strip.compile({ $ref: ref, definitions })),
    };
  });
}

/** The compiled check of instances of `cls`, or undefined if the class has a rule it cannot mirror. */
export function compiledClassCheck(cls: ClassOf, unknownProperties: UnknownProperties): Check | undefined {
  return memo(classChecks[unknownProperties], cls, () => {
    const definitions = classDefinitions(cls);
    return definitions && asCheck(AJV[unknownProperties].compile({ $ref: `#/definitions/${cls.name}`, definitions }));
  });
}

/**
 * The schemas of `cls` and the classes nested in it, each closed (additionalProperties: false), by
 * class name; undefined if a rule is not in FAST_RULES or two of the classes share a name (a $ref could
 * then point at the wrong one). Generated from these classes' rules alone, not from every class loaded.
 */
function classDefinitions(cls: ClassOf): Record<string, JsonSchema> | undefined {
  const rules: ValidationMetadata[] = [];
  // No rules at all (a String, an undecorated class): class-validator has its own answer for those.
  if (!collectFastRules(cls, rules, new Set()) || !rules.some((rule) => rule.target === cls)) return undefined;
  const targets = new Set(rules.map((rule) => rule.target as ClassOf));
  if (new Set([...targets].map((target) => target.name)).size !== targets.size) return undefined;
  // Each rule named by its constraint, as class-validator-jsonschema's own validationMetadatasToSchemas
  // prepares them (without that its converters see no rule and write an empty, accepting schema).
  const storage = getMetadataStorage();
  const named = rules.map((rule) => {
    const constraint = rule.constraintCls ? storage.getTargetValidatorConstraints(rule.constraintCls)[0] : undefined;
    return constraint ? { ...rule, type: constraint.name } : { ...rule };
  });
  const schemas = validationMetadataArrayToSchemas(named as ValidationMetadata[], { refPointerPrefix: '#/definitions/', classTransformerMetadataStorage: defaultMetadataStorage });
  for (const target of targets) requireIntegers(schemas[target.name], rules.filter((rule) => target === rule.target || target.prototype instanceof (rule.target as ClassOf)));
  return Object.fromEntries(Object.entries(schemas).map(([name, schema]) => [name, { ...schema, additionalProperties: false }]));
}

/**
 * The generator merges a property's rules into one schema, the last rule's `type` winning: @Min's
 * "number" after @IsInt's "integer" would let 1.5 through. IsInt's properties (or items) say integer.
 */
function requireIntegers(schema: JsonSchema | undefined, rules: ValidationMetadata[]): void {
  for (const rule of rules) {
    if (rule.name !== 'isInt' || !schema?.properties?.[rule.propertyName]) continue;
    const property = schema.properties[rule.propertyName];
    if (rule.each) property.items = { ...property.items, type: 'integer' };
    else property.type = 'integer';
  }
}

/** True if every rule of the class, and of each class nested in it through @Type, is in FAST_RULES; collects them. */
function collectFastRules(cls: ClassOf, into: ValidationMetadata[], seen: Set<ClassOf>): boolean {
  if (seen.has(cls)) return true;
  seen.add(cls);
  if (hasBehaviour(cls) || hasDefaults(cls) || defaultMetadataStorage.getStrategy(cls) !== 'none' || hasOwnSchema(cls, cls.name)) return false;
  const rules = getMetadataStorage().getTargetValidationMetadatas(cls, '', true, false);
  into.push(...rules);
  const byProperty = groupBy(rules, (rule) => rule.propertyName);
  for (const [property, propertyRules] of byProperty) {
    if (!oneTypePerLevel(propertyRules) || reshapedByClassTransformer(cls, property) || hasOwnSchema(cls, property)) return false;
  }
  return rules.every((rule) => {
    if (rule.type === 'customValidation') return FAST_RULES[rule.name ?? '']?.(rule.constraints) ?? false;
    // IsOptional also lets null through, which the schema refuses: stricter, so safe.
    if (rule.type === 'conditionalValidation') return rule.name === 'isOptional';
    if (rule.type === 'nestedValidation') {
      const nested = defaultMetadataStorage.findTypeMetadata(cls, rule.propertyName)?.typeFunction() as ClassOf | undefined;
      return nested !== undefined && collectFastRules(nested, into, seen);
    }
    return false;
  });
}

/** What a rule requires of a value's JSON type, for telling whether one property's rules agree. */
function typeFamily(rule: ValidationMetadata): string | undefined {
  if (rule.type === 'nestedValidation') return 'object';
  switch (rule.name) {
    case 'isString':
    case 'isNotEmpty':
    case 'maxLength':
    case 'isUuid':
    case 'isEnum':
      return 'string';
    case 'isInt':
    case 'min':
      return 'number';
    case 'isArray':
    case 'arrayMinSize':
    case 'arrayMaxSize':
      return 'array';
    case 'isIn':
      return typeof (rule.constraints?.[0] as unknown[] | undefined)?.[0];
    default:
      return undefined;
  }
}

/**
 * One JSON type for the property and one for its items (rules with `each`), and at most one list of
 * allowed values at each: the generator merges a property's rules and keeps one `type` and one `enum`
 * (the last rule's), where class-validator demands all of them. Rules that disagree refuse every value
 * in class-validator; merged, they would accept some.
 */
function oneTypePerLevel(rules: ValidationMetadata[]): boolean {
  for (const each of [false, true]) {
    const level = rules.filter((rule) => Boolean(rule.each) === each);
    const families = new Set(level.map(typeFamily).filter((family) => family !== undefined));
    if (families.size > 1) return false;
    if (level.filter((rule) => rule.name === 'isIn' || rule.name === 'isEnum').length > 1) return false;
  }
  return true;
}

function sameTypedValues(values: unknown): boolean {
  if (!Array.isArray(values) || values.length === 0) return false;
  const type = typeof values[0];
  return ['string', 'number', 'boolean'].includes(type) && values.every((value) => typeof value === type);
}

/**
 * class-transformer would change this property on its way to the class (@Transform, @Expose under
 * another name, @Exclude, a @Type with subtypes): the plain object a compiled check hands on would
 * differ from the instance class-validator checks. (Class-wide: an expose/exclude-all strategy, and
 * defaults, are checked once per class.)
 */
function reshapedByClassTransformer(cls: ClassOf, property: string): boolean {
  return (
    defaultMetadataStorage.findTransformMetadatas(cls, property, TransformationType.PLAIN_TO_CLASS).length > 0 ||
    defaultMetadataStorage.findExposeMetadata(cls, property) !== undefined ||
    defaultMetadataStorage.findExcludeMetadata(cls, property) !== undefined ||
    defaultMetadataStorage.findTypeMetadata(cls, property)?.options?.discriminator !== undefined
  );
}

/** Field initializers: class-transformer's instance would carry them, the plain object would not. */
function hasDefaults(cls: ClassOf): boolean {
  try {
    // Declared fields may exist as own properties holding undefined (useDefineForClassFields): not defaults.
    return Object.values(new cls()).some((value) => value !== undefined);
  } catch {
    return true;
  }
}

/** A schema written by hand with class-validator-jsonschema's @JSONSchema: it may loosen the generated one. */
function hasOwnSchema(cls: ClassOf, key: string): boolean {
  return Object.keys(getMetadataSchema(cls.prototype, key)).length > 0;
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

/**
 * Methods or accessors on the class or a parent: its users may call them, so they get the instance
 * class-transformer builds (a compiled check hands on the plain object).
 */
function hasBehaviour(cls: ClassOf): boolean {
  for (let proto = cls.prototype; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    if (Object.getOwnPropertyNames(proto).some((name) => name !== 'constructor')) return true;
  }
  return false;
}

/** True if instances of `cls` can be checked by a compiled schema (every rule mirrored, no behaviour). */
export function onlyFastRules(cls: ClassOf): boolean {
  return collectFastRules(cls, [], new Set());
}

function asCheck(validate: ValidateFunction): Check {
  return (plain) => validate(plain) === true;
}

/** Computed once per key; a schema ajv cannot compile means no compiled check (class-validator decides). */
function memo<K, V>(cache: Map<K, V | null>, key: K, compute: () => V | undefined): V | undefined {
  if (!cache.has(key)) {
    let value: V | undefined;
    try {
      value = compute();
    } catch {
      value = undefined;
    }
    cache.set(key, value ?? null);
  }
  return cache.get(key) ?? undefined;
}
