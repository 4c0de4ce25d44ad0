// Checks a message against a released JSON Schema (ajv): the producer side of the contract tests.
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { JsonSchema } from './event-schemas';

const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);

export function schemaErrors(schema: JsonSchema, message: unknown): string[] {
  const validate = ajv.getSchema(schema.$id) ?? ajv.compile(schema);
  return validate(message) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath || '(root)'} ${error.message}`);
}
