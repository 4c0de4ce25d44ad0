// npm run catalog: writes docs/asyncapi.yaml and docs/events.md from the registry, and the JSON Schema
// of every event version not released yet (libs/events/schemas/<topic>/v<N>.json).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { catalogDocuments, unreleasedSchemas } from './catalog-files';

for (const file of [...unreleasedSchemas(), ...catalogDocuments()]) {
  mkdirSync(dirname(file.path), { recursive: true });
  writeFileSync(file.path, file.content);
  console.log(`catalog: wrote ${relative(process.cwd(), file.path)}`);
}
