/**
 * `npm run api:types`: regenerates the web app's copies of what the server defines: its API types
 * (web/src/api/schema.d.ts, from the OpenAPI document) and its English sentences (web/src/i18n/explain-<area>.en.ts).
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { API_TYPES_FILE, apiTypesSource, buildOpenApiDocument, explainCatalogueSources } from './openapi.js';

const root = join(import.meta.dirname, '..');
await writeFile(join(root, API_TYPES_FILE), await apiTypesSource(await buildOpenApiDocument()));
console.log(`wrote ${API_TYPES_FILE}`);
for (const { file, source } of await explainCatalogueSources()) {
  await writeFile(join(root, file), source);
  console.log(`wrote ${file}`);
}
