// The catalog is part of the contract: committed documents must match the registry, every event
// version must have its released schema and an example, and no release may change incompatibly.
import { ALL_TOPICS, parseEvent } from '@platform/events';
import { breakingChanges, exampleFile, messageSchema, readExample, readReleasedSchema, schemaErrors } from '@platform/events/catalog';
import { existsSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { catalogDocuments } from './catalog-files';

const versions = ALL_TOPICS.flatMap((topic) => topic.events.map((definition) => ({ topic, definition })));
const label = ({ topic, definition }: (typeof versions)[number]) => `${topic.name} v${definition.version}`;

describe('event catalog', () => {
  it.each(catalogDocuments().map((file) => [relative(process.cwd(), file.path), file]))('%s is up to date (npm run catalog)', (_path, file) => {
    expect(existsSync(file.path) ? readFileSync(file.path, 'utf8') : '(missing)').toBe(file.content);
  });

  describe.each(versions.map((version) => [label(version), version]))('%s', (_label, { topic, definition }) => {
    it('has its released JSON Schema committed (npm run catalog writes it)', () => {
      expect(readReleasedSchema(topic, definition)).toBeDefined();
    });

    it('has not changed incompatibly since its release (declare a new version instead)', () => {
      const released = readReleasedSchema(topic, definition) ?? {};
      expect(breakingChanges(released, messageSchema(topic, definition))).toEqual([]);
    });

    it('has an example that matches the schema and that consumers accept', () => {
      expect(existsSync(exampleFile(topic, definition))).toBe(true);
      const example = readExample(topic, definition);
      expect(schemaErrors(readReleasedSchema(topic, definition) ?? {}, example)).toEqual([]);
      expect(parseEvent(topic, example).receivedVersion).toBe(definition.version);
    });
  });
});
