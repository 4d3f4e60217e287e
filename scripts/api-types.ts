/** `npm run api:types`: regenerates web/src/api/schema.d.ts from the server's OpenAPI document. */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { API_TYPES_FILE, apiTypesSource, buildOpenApiDocument } from './openapi.js';

const target = join(import.meta.dirname, '..', API_TYPES_FILE);
await writeFile(target, await apiTypesSource(await buildOpenApiDocument()));
console.log(`wrote ${API_TYPES_FILE}`);
