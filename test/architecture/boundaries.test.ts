import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkBoundaries, sourceFiles, stalePending } from './boundaries.js';

const ROOT = join(import.meta.dirname, '..', '..');

describe('import boundaries', () => {
  it('hold across the source tree', () => {
    expect(checkBoundaries(ROOT, sourceFiles(ROOT))).toEqual([]);
  });

  it('list only files that still build SQL as pending in app (the list shrinks to empty)', () => {
    expect(stalePending(ROOT, sourceFiles(ROOT))).toEqual([]);
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
    ['src/app/x.ts', "import { sql } from 'kysely';", /imports sql from kysely: app builds SQL/],
    [
      'src/app/x.ts',
      "import {\n  sql,\n  type Kysely,\n} from 'kysely';",
      /x\.ts imports sql from kysely: app builds SQL: move it into a repository in src\/db/,
    ],
    ['src/app/x.ts', "import * as k from 'kysely';", /imports \* as k from kysely: app builds SQL/],
    [
      'src/app/x.ts',
      "const r = await db\n  .selectFrom('orders')\n  .selectAll()\n  .execute();",
      /calls \.selectFrom\(: app builds SQL/,
    ],
    ['src/app/x.ts', "await trx.insertInto('orders').values(row).execute();", /calls \.insertInto\(/],
    ['src/app/x.ts', "await trx.updateTable('orders').set({ a: 1 }).execute();", /calls \.updateTable\(/],
    ['src/app/x.ts', "await trx.deleteFrom('orders').execute();", /calls \.deleteFrom\(/],
    [
      'src/app/x.ts',
      "await sqlRunner(trx, store).run('delete from orders', []);",
      /runs SQL text through sqlRunner: app builds SQL/,
    ],
  ])('catch %s doing %s', (file, text, message) => {
    const problems = checkBoundaries(ROOT, [{ path: join(ROOT, file), text }]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(message);
  });

  it('let app name kysely types, and leave a pending file alone', () => {
    const sql = "import { sql } from 'kysely';\nawait db.selectFrom('orders').selectAll().execute();";
    expect(
      checkBoundaries(
        ROOT,
        [
          { path: join(ROOT, 'src/app/a.ts'), text: "import type { Kysely, Transaction } from 'kysely';" },
          {
            path: join(ROOT, 'src/app/b.ts'),
            text: "import { type Kysely, type Transaction } from 'kysely';",
          },
          { path: join(ROOT, 'src/app/c.ts'), text: 'await ordersRepository(trx).insert(row);' },
          { path: join(ROOT, 'src/db/d.ts'), text: sql },
          { path: join(ROOT, 'src/app/pending.ts'), text: sql },
        ],
        { sqlPending: ['src/app/pending.ts'] },
      ),
    ).toEqual([]);
    expect(
      stalePending(
        ROOT,
        [{ path: join(ROOT, 'src/app/done.ts'), text: 'export const x = 1;' }],
        ['src/app/done.ts', 'src/app/gone.ts'],
      ),
    ).toEqual([
      'src/app/done.ts is in SQL_IN_APP_PENDING but builds no SQL (or is gone): take it off the list',
      'src/app/gone.ts is in SQL_IN_APP_PENDING but builds no SQL (or is gone): take it off the list',
    ]);
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
