/* eslint-disable @typescript-eslint/no-explicit-any -- the fixtures edit raw JSON Schema */
import { breakingChanges } from './schema-compatibility';

const released = {
  type: 'object',
  required: ['payload'],
  properties: { payload: { $ref: '#/definitions/P' } },
  definitions: {
    P: {
      type: 'object',
      required: ['orderId', 'reason'],
      properties: {
        orderId: { type: 'string', format: 'uuid' },
        reason: { type: 'string', enum: ['A', 'B'] },
        note: { type: 'string' },
        items: { type: 'array', items: { $ref: '#/definitions/Line' } },
      },
    },
    Line: { type: 'object', required: ['quantity'], properties: { quantity: { type: 'integer' } } },
  },
};

/** The released schema with one change made to payload class P (or Line). */
function withChange(change: (p: any, line: any) => void) {
  const copy = JSON.parse(JSON.stringify(released));
  change(copy.definitions.P, copy.definitions.Line);
  return copy;
}

describe('breakingChanges', () => {
  it('finds none between a schema and itself, or when an optional field is added', () => {
    expect(breakingChanges(released, released)).toEqual([]);
    expect(breakingChanges(released, withChange((p) => (p.properties.channel = { type: 'string' })))).toEqual([]);
  });

  it('reports a removed (or renamed) required field', () => {
    const renamed = withChange((p) => {
      p.properties.id = p.properties.orderId;
      delete p.properties.orderId;
      p.required = ['id', 'reason'];
    });
    expect(breakingChanges(released, renamed)).toEqual(['payload.orderId: required field removed or renamed', 'payload.id: field became required']);
  });

  it('reports a changed type, also inside array items', () => {
    expect(breakingChanges(released, withChange((_p, line) => (line.properties.quantity.type = 'string')))).toEqual([
      'payload.items[].quantity: type changed from "integer" to "string"',
    ]);
  });

  it('reports a narrowed enum but not a widened one', () => {
    expect(breakingChanges(released, withChange((p) => (p.properties.reason.enum = ['A'])))).toEqual(['payload.reason: enum narrowed, ["B"] no longer allowed']);
    expect(breakingChanges(released, withChange((p) => (p.properties.reason.enum = ['A', 'B', 'C'])))).toEqual([]);
  });

  it('reports an optional field becoming required', () => {
    expect(breakingChanges(released, withChange((p) => p.required.push('note')))).toEqual(['payload.note: field became required']);
  });
});
