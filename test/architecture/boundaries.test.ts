import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkBoundaries, sourceFiles } from './boundaries.js';

const ROOT = join(import.meta.dirname, '..', '..');

describe('import boundaries', () => {
  it('hold across the source tree', () => {
    expect(checkBoundaries(ROOT, sourceFiles(ROOT))).toEqual([]);
  });

  it.each([
    ['src/core/x.ts', "import { openStore } from '../db/connection.js';", /core may not/],
    [
      'src/core/x.ts',
      "import { readFile } from 'node:fs/promises';",
      /package node:fs\/promises: core may not/,
    ],
    ['src/db/x.ts', "import { money } from '../core/money/money.js';", /db may not/],
    ['src/core/x.ts', 'export const now = () => Date.now();', /uses Date\.now\(: core gets the clock/],
    ['src/core/x.ts', 'console.log(process.argv);', /core gets the clock, randomness and I\/O injected/],
    [
      'src/server/x.ts',
      "import { orderRepository } from '../db/repositories/order-repository.js';",
      /server may not/,
    ],
    ['src/cli/x.ts', "import type { Store } from '../db/connection.js';", /as a type: cli may not/],
    ['src/server/x.ts', "import { Kysely } from 'kysely';", /package kysely/],
    ['web/src/x.tsx', "import { getOrder } from '../../src/app/queries.js';", /web may not/],
  ])('catch %s doing %s', (file, text, message) => {
    const problems = checkBoundaries(ROOT, [{ path: join(ROOT, file), text }]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(message);
  });

  it('let db import core types and app combine core and db', () => {
    expect(
      checkBoundaries(ROOT, [
        { path: join(ROOT, 'src/db/x.ts'), text: "import type { Scope } from '../core/access/scope.js';" },
        {
          path: join(ROOT, 'src/app/x.ts'),
          text: "import { money } from '../core/money/money.js';\nimport { openStore } from '../db/connection.js';",
        },
      ]),
    ).toEqual([]);
  });
});
