import { sql, type Kysely } from 'kysely';

/**
 * Indexes shaped for the close (issue 13): fewer and narrower index entries per statement line, and the
 * new-business look-back read from an index alone.
 *
 * - `order_lines_vendor_date_ix` (vendor, day) becomes `order_lines_vendor_day_cover_ix` (vendor, day,
 *   customer, family, quantity): the same prefix serves every query the old one served, and the purchases
 *   a close reads for new business (who bought which family on which day, over the look-back year) come
 *   from the index without visiting a line (they were a table lookup per line: most of the close's reading).
 * - statement lines: one unique index on (transaction, posting seq) replaces the partial unique one and the
 *   plain one on transaction. NULLs are distinct in unique indexes (SQLite and PostgreSQL), so lines of
 *   entries (no posting seq) are not constrained by it and a posting is still on at most one statement;
 *   "is this transaction on a statement" reads its prefix. The unique index on entry ids becomes partial
 *   (entry lines only): a posting's line has no entry id and no longer pays for an entry in it.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('order_lines_vendor_day_cover_ix')
    .on('order_lines')
    .columns(['vendor_id', 'order_date', 'customer_id', 'family', 'quantity'])
    .execute();
  await sql`drop index if exists order_lines_vendor_date_ix`.execute(db);

  await db.schema
    .createIndex('statement_lines_transaction_seq_ux')
    .on('statement_lines')
    .columns(['transaction_id', 'posting_seq'])
    .unique()
    .execute();
  await sql`drop index if exists statement_lines_posting_ux`.execute(db);
  await sql`drop index if exists statement_lines_transaction_ix`.execute(db);
  await sql`drop index if exists statement_lines_entry_ux`.execute(db);
  await sql`create unique index statement_lines_entry_ux on statement_lines (entry_id) where entry_id is not null`.execute(
    db,
  );
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists statement_lines_entry_ux`.execute(db);
  await db.schema
    .createIndex('statement_lines_entry_ux')
    .on('statement_lines')
    .column('entry_id')
    .unique()
    .execute();
  await db.schema
    .createIndex('statement_lines_transaction_ix')
    .on('statement_lines')
    .column('transaction_id')
    .execute();
  await sql`create unique index statement_lines_posting_ux on statement_lines (transaction_id, posting_seq)
    where posting_seq is not null`.execute(db);
  await sql`drop index if exists statement_lines_transaction_seq_ux`.execute(db);
  await db.schema
    .createIndex('order_lines_vendor_date_ix')
    .on('order_lines')
    .columns(['vendor_id', 'order_date'])
    .execute();
  await sql`drop index if exists order_lines_vendor_day_cover_ix`.execute(db);
}
