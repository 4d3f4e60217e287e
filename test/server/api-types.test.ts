import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  API_TYPES_FILE,
  apiTypesSource,
  buildOpenApiDocument,
  explainCatalogueSources,
} from '../../scripts/openapi.js';
import { ROOT } from '../support/fixtures.js';

describe('the web app’s generated API types', () => {
  it(`${API_TYPES_FILE} is what the server's OpenAPI document generates (else run npm run api:types)`, async () => {
    const committed = await readFile(join(ROOT, API_TYPES_FILE), 'utf8');
    const fresh = await apiTypesSource(await buildOpenApiDocument());
    // A mismatch names the first differing line rather than printing two 10,000-line files.
    const a = committed.split('\n');
    const b = fresh.split('\n');
    const differs = a.findIndex((l, i) => l !== b[i]);
    const line = differs < 0 ? Math.min(a.length, b.length) : differs;
    expect(
      differs < 0 && a.length === b.length
        ? null
        : { line: line + 1, committed: a[line], generated: b[line] },
      'web/src/api/schema.d.ts is out of date: run npm run api:types and commit it',
    ).toBeNull();
  });

  it("web/src/i18n/explain-*.en.ts are the server's English sentences (else run npm run api:types)", async () => {
    for (const { file, source } of await explainCatalogueSources()) {
      const committed = await readFile(join(ROOT, file), 'utf8').catch(() => '(missing)');
      expect(committed === source, `${file} is out of date: run npm run api:types`).toBe(true);
    }
  });
});
