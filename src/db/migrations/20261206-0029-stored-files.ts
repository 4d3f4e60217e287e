import type { Kysely } from 'kysely';

/**
 * Stored files (docs/files.md): proof files of MDF claims and other uploads. One row per upload: the
 * vendor it belongs to, the partner that uploaded it (null: uploaded by the vendor's people), its purpose
 * (`mdf-proof`), the uploader's file name (sanitised), the content type detected from its bytes, its size
 * and SHA-256, and the key of its bytes in the file store (content-addressed per vendor, so two uploads of
 * the same bytes share one stored object). A row is written only after its bytes are stored.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('stored_files')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('vendor_id', 'text', (c) => c.notNull().references('vendors.id'))
    .addColumn('partner_id', 'text', (c) => c.references('partners.id'))
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size_bytes', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('storage_key', 'text', (c) => c.notNull())
    .addColumn('uploaded_by', 'text', (c) => c.notNull())
    .addColumn('uploaded_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('stored_files_owner_ix')
    .on('stored_files')
    .columns(['vendor_id', 'partner_id', 'uploaded_at'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('stored_files').execute();
}
