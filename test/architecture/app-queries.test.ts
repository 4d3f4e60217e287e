import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

/** Use-case areas that load facts through repositories only (the rest of src/app follows). */
const AREAS = ['src/app/engagement', 'src/app/deals'];

const QUERY_BUILDING: [RegExp, string][] = [
  [/\.(selectFrom|insertInto|updateTable|deleteFrom|replaceInto|mergeInto)\(/, 'builds a Kysely query'],
  [/\bsql\s*(<[^`]*>)?`/, 'writes raw sql``'],
  [/\bsqlRunner\b/, 'runs SQL text'],
  [/^import\s+(?!type\b)[^;]*from\s+'kysely'/m, "imports a value from 'kysely' (import type only)"],
];

/** Each problem as "file: what it does" (empty when the text builds no query). */
export function queryBuilding(file: string, text: string): string[] {
  return QUERY_BUILDING.filter(([pattern]) => pattern.test(text)).map(([, what]) => `${file}: ${what}`);
}

describe('no SQL in the engagement and deals use cases', () => {
  it('holds: their queries live in src/db/repositories', () => {
    const problems = AREAS.flatMap((area) =>
      readdirSync(join(ROOT, area))
        .filter((f) => f.endsWith('.ts'))
        .flatMap((f) => queryBuilding(`${area}/${f}`, readFileSync(join(ROOT, area, f), 'utf8'))),
    );
    expect(problems).toEqual([]);
  });

  it.each([
    ["await trx.selectFrom('orders').selectAll().execute();", /builds a Kysely query/],
    ['await db.updateTable("routedOrders").set({}).execute();', /builds a Kysely query/],
    ['await sql`select 1`.execute(db);', /raw sql/],
    ['const n = sql<number>`count(*)`;', /raw sql/],
    ["await sqlRunner(trx, store).run('delete from x', []);", /runs SQL text/],
    ["import { sql, type Kysely } from 'kysely';", /import type only/],
  ])('catches %s', (text, message) => {
    const problems = queryBuilding('src/app/deals/x.ts', text);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(message);
  });

  it('lets a use case hold a transaction and name the Kysely type', () => {
    expect(
      queryBuilding(
        'src/app/deals/x.ts',
        "import type { Kysely } from 'kysely';\nawait ctx.store.db.transaction().execute(async (trx) => f(trx));",
      ),
    ).toEqual([]);
  });
});
