import { sql, type Kysely } from 'kysely';

/**
 * Tenant keys (issue 18): the rule a schema must keep to be distributed by vendor (Citus, with `vendor_id`
 * as the distribution column), checked on a PostgreSQL schema with catalog queries only.
 *
 * Every table of the schema is either a **reference** table (listed below, with why: shared between
 * vendors, or not owned by one) or a **distributed** one (every other table, so a table added later is
 * held to the rule until someone lists it here). The rule:
 * - a distributed table has a not-null `vendor_id`;
 * - its primary key and every unique key (constraint or unique index) include `vendor_id`;
 * - a foreign key between two distributed tables includes `vendor_id` on both sides, paired;
 * - a reference table has no foreign key to a distributed table.
 * PostgreSQL's hash partitioning refuses a unique key without the partition key, Citus refuses all four.
 */

/**
 * The reference tables, and why each is not distributed by vendor. Agreements and program transfers span
 * two vendors: they are shared by their parties (a few rows each), so reference tables that point at no
 * vendor-owned table; the vendor-owned rows they lead to (agreement_programs, agreement_rewards, the
 * memberships and ledger a transfer writes) are distributed.
 */
export const REFERENCE_TABLES: Readonly<Record<string, string>> = {
  vendors: 'the tenants themselves',
  partners: 'companies shared between vendors (enrolled with several)',
  people: 'people of a vendor or of a partner (vendor_id null); looked up by e-mail at sign-in',
  credentials: "a person's password hash (people are reference)",
  sessions: 'sign-in sessions, found by token before any vendor is known',
  password_resets: 'reset tokens, found by token hash',
  sign_in_throttle: 'attempts per e-mail and client address, not per vendor',
  sso_configs: 'one provider per vendor or per partner (vendor_id null for a partner)',
  sso_logins: 'started sign-ins, found by state hash',
  sso_identities: "a provider's subject bound to a person",
  api_tokens: 'tokens of a vendor or of a partner (vendor_id null), found by token hash',
  role_grants: "a person's roles, at a vendor or at a partner (vendor_id null)",
  audit_events:
    'actions of vendors, partners and the system (vendor_id null); append-only, read by vendor or partner',
  jobs: 'the job queue, claimed across vendors by the workers; some jobs belong to no vendor',
  webhook_endpoints: 'endpoints of a vendor or of a partner (vendor_id null)',
  webhook_events: "the outbox: claimed across vendors by the dispatcher, fanned out to a partner's endpoints",
  webhook_deliveries: 'an event to an endpoint (both reference)',
  webhook_attempts: 'attempts of a delivery (reference)',
  notifications: "a person's inbox, which spans vendors (a partner's people hear from every vendor)",
  notification_reads: 'which notifications a person read (reference)',
  notification_mails: 'which notifications were mailed to a person (reference)',
  agreements: 'an agreement between two vendors, shared by its parties',
  agreement_parties: 'the vendors party to an agreement',
  agreement_notices: "an agreement's notice of termination, given by one party to the other",
  agreement_events: "an agreement's history (vendor_id null for events of both parties)",
  program_transfers:
    'a split or merge of partner bases between two programs, possibly of two vendors; names its programs without foreign keys',
  program_transfer_parties: 'the vendors a transfer concerns',
  program_transfer_partners:
    'each partner a transfer carried (carried once across vendors: unique carry key)',
  ledger_bulk_postings:
    'a commit-time guard of the bulk ledger write, empty outside a transaction (the coordinator keeps it)',
  ledger_bulk_never: 'the row ledger_bulk_postings defers a foreign key to: never written',
  fact_changes:
    'which transactions changed the facts a close reads, per vendor and for the shared partners (PostgreSQL)',
  fact_versions:
    'change counters of the facts a close reads, per vendor and one for the shared partners (kept on SQLite only)',
  trellis_migration: "the migrator's own bookkeeping",
  trellis_migration_lock: "the migrator's lock",
};

export type TenantKeyViolationKind =
  | 'no-vendor-column'
  | 'nullable-vendor'
  | 'no-primary-key'
  | 'primary-key'
  | 'unique-key'
  | 'foreign-key'
  | 'reference-to-distributed';

export interface TenantKeyViolation {
  kind: TenantKeyViolationKind;
  table: string;
  /** The constraint or index that breaks the rule (null when the table itself does). */
  constraint: string | null;
  /** What it is, as the catalog states it. */
  detail: string;
}

export interface TenantKeyReport {
  distributed: string[];
  reference: string[];
  violations: TenantKeyViolation[];
}

/** A violation as one line: `orders: primary key orders_pkey (PRIMARY KEY (id)) lacks vendor_id`. */
export function describeViolation(v: TenantKeyViolation): string {
  const what: Record<TenantKeyViolationKind, string> = {
    'no-vendor-column': 'a distributed table without a vendor_id column',
    'nullable-vendor': 'vendor_id may be null in a distributed table',
    'no-primary-key': 'a distributed table without a primary key',
    'primary-key': 'primary key without vendor_id',
    'unique-key': 'unique key without vendor_id',
    'foreign-key': 'foreign key between distributed tables without vendor_id on both sides',
    'reference-to-distributed': 'a reference table points at a distributed table',
  };
  return `${v.table}: ${what[v.kind]}${v.constraint ? ` (${v.constraint}: ${v.detail})` : ''}`;
}

/**
 * Checks the tenant-key rule on the connection's current schema (PostgreSQL). Partitions are checked
 * through their partitioned table; views are not tables.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function checkTenantKeys(db: Kysely<any>): Promise<TenantKeyReport> {
  const tables = (
    await sql<{ name: string; vendorAttnum: number | null; vendorNotNull: boolean | null }>`
      select c.relname as name, a.attnum as "vendorAttnum", a.attnotnull as "vendorNotNull"
      from pg_class c
      left join pg_attribute a on a.attrelid = c.oid and a.attname = 'vendor_id' and not a.attisdropped
      where c.relnamespace = current_schema()::regnamespace and c.relkind in ('r', 'p')
        and not c.relispartition
      order by c.relname`.execute(db)
  ).rows;
  const isReference = (name: string) => Object.hasOwn(REFERENCE_TABLES, name);
  const distributed = tables.filter((t) => !isReference(t.name));
  const distributedNames = new Set(distributed.map((t) => t.name));
  const violations: TenantKeyViolation[] = [];

  for (const t of distributed) {
    if (t.vendorAttnum == null)
      violations.push({ kind: 'no-vendor-column', table: t.name, constraint: null, detail: '' });
    else if (!t.vendorNotNull)
      violations.push({ kind: 'nullable-vendor', table: t.name, constraint: null, detail: '' });
  }

  const keys = (
    await sql<{ table: string; name: string; primary: boolean; hasVendor: boolean; definition: string }>`
      select t.relname as "table", i.relname as name, x.indisprimary as primary,
        exists (select 1 from pg_attribute a where a.attrelid = t.oid and a.attname = 'vendor_id'
          and a.attnum = any (x.indkey::int2[])) as "hasVendor",
        pg_get_indexdef(x.indexrelid) as definition
      from pg_index x
      join pg_class t on t.oid = x.indrelid
      join pg_class i on i.oid = x.indexrelid
      where t.relnamespace = current_schema()::regnamespace and t.relkind in ('r', 'p')
        and not t.relispartition and x.indisunique
      order by t.relname, i.relname`.execute(db)
  ).rows;
  const withPrimaryKey = new Set(keys.filter((k) => k.primary).map((k) => k.table));
  for (const t of distributed)
    if (!withPrimaryKey.has(t.name))
      violations.push({ kind: 'no-primary-key', table: t.name, constraint: null, detail: '' });
  for (const k of keys)
    if (distributedNames.has(k.table) && !k.hasVendor)
      violations.push({
        kind: k.primary ? 'primary-key' : 'unique-key',
        table: k.table,
        constraint: k.name,
        detail: k.definition,
      });

  const foreignKeys = (
    await sql<{ table: string; parent: string; name: string; paired: boolean; definition: string }>`
      select t.relname as "table", p.relname as parent, k.conname as name,
        exists (
          select 1 from unnest(k.conkey, k.confkey) as u(c, f)
          join pg_attribute ca on ca.attrelid = k.conrelid and ca.attnum = u.c
          join pg_attribute fa on fa.attrelid = k.confrelid and fa.attnum = u.f
          where ca.attname = 'vendor_id' and fa.attname = 'vendor_id') as paired,
        pg_get_constraintdef(k.oid) as definition
      from pg_constraint k
      join pg_class t on t.oid = k.conrelid
      join pg_class p on p.oid = k.confrelid
      where k.contype = 'f' and t.relnamespace = current_schema()::regnamespace and not t.relispartition
        and k.conparentid = 0
      order by t.relname, k.conname`.execute(db)
  ).rows;
  for (const fk of foreignKeys) {
    const from = distributedNames.has(fk.table);
    const to = distributedNames.has(fk.parent);
    if (from && to && !fk.paired)
      violations.push({ kind: 'foreign-key', table: fk.table, constraint: fk.name, detail: fk.definition });
    if (!from && to)
      violations.push({
        kind: 'reference-to-distributed',
        table: fk.table,
        constraint: fk.name,
        detail: fk.definition,
      });
  }

  return {
    distributed: distributed.map((t) => t.name),
    reference: tables.filter((t) => isReference(t.name)).map((t) => t.name),
    violations,
  };
}
