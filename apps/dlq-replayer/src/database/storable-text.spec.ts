import { storableHeaders, storableText } from './storable-text';

describe('storable text', () => {
  it('replaces NUL, which PostgreSQL refuses in text and jsonb, and leaves the rest as it is', () => {
    expect(storableText('a\u0000b\u0000')).toBe('a\uFFFDb\uFFFD');
    expect(storableText('plain \u0001 ü')).toBe('plain \u0001 ü');
    expect(storableText(null)).toBeNull();
    expect(storableHeaders({ 'x-\u0000': '\u0000v' })).toEqual({ 'x-\uFFFD': '\uFFFDv' });
  });
});
