import { sql, type Kysely } from 'kysely';
import { checkTenantKeys, describeViolation } from './tenant-keys.js';

/** Tables Citus leaves on the coordinator: the migrator's bookkeeping (only `trellis db migrate` reads it). */
export const COORDINATOR_TABLES: readonly string[] = ['trellis_migration', 'trellis_migration_lock'];

/** The first distributed table: every other one is co-located with it (same vendor, same node). */
export const COLOCATION_ANCHOR = 'programs';

export interface CitusPlan {
  /** Reference tables, each after every reference table it points at. */
  reference: string[];
  /** Distributed tables by vendor_id, the anchor first, each after every distributed table it points at. */
  distributed: string[];
  coordinator: string[];
  /** Foreign keys that close a cycle (`orders` and `deal_registrations` point at each other): dropped while the tables are distributed, then added back. */
  cyclicForeignKeys: string[];
  /** Tables with triggers: Citus runs them on the shards only with `citus.enable_unsafe_triggers`. */
  triggers: { table: string; trigger: string }[];
  /** The SQL to run once on the coordinator, after `trellis db migrate`. */
  sql: string;
}

/**
 * What Citus must be told about the connection's current schema (PostgreSQL), from the catalog and the
 * tenant-key classification: `create_reference_table` for the shared tables and `create_distributed_table`
 * by `vendor_id`, co-located, for the vendor-owned ones, in foreign-key order (Citus distributes a table
 * only after the tables it points at). Refuses a schema that breaks the tenant-key rule, naming each key.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function citusPlan(db: Kysely<any>): Promise<CitusPlan> {
  const report = await checkTenantKeys(db);
  if (report.violations.length > 0)
    throw new Error(
      `this schema cannot be distributed by vendor_id (run trellis db migrate first):\n${report.violations
        .map(describeViolation)
        .join('\n')}`,
    );
  const edges = (
    await sql<{ table: string; parent: string; name: string; definition: string }>`
      select t.relname as "table", p.relname as parent, k.conname as name,
        pg_get_constraintdef(k.oid) as definition
      from pg_constraint k
      join pg_class t on t.oid = k.conrelid
      join pg_class p on p.oid = k.confrelid
      where k.contype = 'f' and t.relnamespace = current_schema()::regnamespace and not t.relispartition
        and k.conparentid = 0 and t.relname <> p.relname
      order by 1, 2, 3`.execute(db)
  ).rows;
  const triggers = (
    await sql<{ table: string; trigger: string }>`
      select c.relname as "table", g.tgname as trigger
      from pg_trigger g join pg_class c on c.oid = g.tgrelid
      where not g.tgisinternal and c.relnamespace = current_schema()::regnamespace and not c.relispartition
      order by 1, 2`.execute(db)
  ).rows;
  const coordinator = report.reference.filter((t) => COORDINATOR_TABLES.includes(t));
  const cyclic: ForeignKey[] = [];
  const reference = ordered(
    report.reference.filter((t) => !COORDINATOR_TABLES.includes(t)),
    edges,
    cyclic,
  );
  const distributed = ordered(report.distributed, edges, cyclic, COLOCATION_ANCHOR);
  const anchor = distributed[0] ?? COLOCATION_ANCHOR;
  const lines = [
    '-- Trellis on Citus: run once on the coordinator, after `trellis db migrate` created the schema there',
    '-- (and again after a migration that adds tables: what Citus already holds is skipped).',
    '-- Triggers of distributed tables run on the shards:',
    'set citus.enable_unsafe_triggers = on;',
    'create or replace function pg_temp.reference(t regclass) returns void language plpgsql as $$ begin',
    '  if not exists (select 1 from pg_dist_partition where logicalrelid = t) then perform create_reference_table(t); end if;',
    'end $$;',
    'create or replace function pg_temp.distribute(t regclass, anchor text) returns void language plpgsql as $$ begin',
    '  if not exists (select 1 from pg_dist_partition where logicalrelid = t) then',
    "    perform create_distributed_table(t, 'vendor_id', colocate_with => coalesce(anchor, 'default')); end if;",
    'end $$;',
    '',
    '-- Reference tables (copied to every node): shared between vendors, or not owned by one.',
    ...reference.map((t) => `select pg_temp.reference('${t}');`),
    '',
    ...(cyclic.length > 0
      ? [
          '-- Foreign keys that close a cycle (Citus distributes a table only after those it points at): dropped',
          '-- here, added back once both tables are distributed.',
          ...cyclic.map((k) => `alter table ${k.table} drop constraint if exists ${k.name};`),
          '',
        ]
      : []),
    `-- Distributed by vendor_id, co-located with ${anchor} (a vendor's rows of every table on one node).`,
    ...distributed.map((t, i) => `select pg_temp.distribute('${t}', ${i === 0 ? 'null' : `'${anchor}'`});`),
    ...(cyclic.length > 0
      ? [
          '',
          '-- The foreign keys dropped above, back.',
          ...cyclic.map(
            (k) =>
              `do $$ begin if not exists (select 1 from pg_constraint where conname = '${k.name}' and conrelid = '${k.table}'::regclass) then alter table ${k.table} add constraint ${k.name} ${k.definition}; end if; end $$;`,
          ),
        ]
      : []),
    '',
    `-- Left on the coordinator: ${coordinator.join(', ') || '(none)'}.`,
  ];
  return {
    reference,
    distributed,
    coordinator,
    triggers,
    cyclicForeignKeys: cyclic.map((k) => `${k.table}.${k.name}`),
    sql: lines.join('\n') + '\n',
  };
}

interface ForeignKey {
  table: string;
  parent: string;
  name: string;
  definition: string;
}

/**
 * Tables in an order where each comes after those it points at (ties by name; `first` leads if given).
 * A foreign key that would close a cycle is left out of the order and added to `cyclic`.
 */
function ordered(
  tables: readonly string[],
  edges: readonly ForeignKey[],
  cyclic: ForeignKey[],
  first?: string,
): string[] {
  const set = new Set(tables);
  const parents = new Map<string, ForeignKey[]>();
  for (const t of tables) parents.set(t, []);
  for (const e of edges) if (set.has(e.table) && set.has(e.parent)) parents.get(e.table)!.push(e);
  const out: string[] = [];
  const done = new Set<string>();
  const path = new Set<string>();
  const visit = (t: string) => {
    if (done.has(t)) return;
    path.add(t);
    for (const k of parents.get(t)!) {
      if (path.has(k.parent)) cyclic.push(k);
      else visit(k.parent);
    }
    path.delete(t);
    done.add(t);
    out.push(t);
  };
  if (first && set.has(first)) visit(first);
  for (const t of [...tables].sort()) visit(t);
  return out;
}
