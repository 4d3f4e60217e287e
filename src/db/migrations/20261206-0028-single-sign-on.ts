import { sql, type Kysely } from 'kysely';

/**
 * Single sign-on with OpenID Connect (issue 16).
 *
 * - `sso_configs`: one per organisation (a vendor or a partner: exactly one of the two ids is set, each
 *   unique). The client secret is encrypted (AES-256-GCM under TRELLIS_SECRETS_KEY) and never read back
 *   by the API. `scopes`, `email_domains` and `role_mapping` (`[{ group, role }]`) are JSON.
 *   `jit` (1 = provision unknown people), `require_sso` (1 = no password sign-in for its people).
 * - `sso_logins`: one per started sign-in, keyed by the hash of its `state`; it keeps the nonce and the
 *   PKCE verifier server-side, lives a few minutes and is used once (`used_at`, a conditional update).
 * - `sso_identities`: the provider's subject (issuer, sub) bound to a person, so a later sign-in finds the
 *   person even when the e-mail claim changes.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('sso_configs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('vendor_id', 'text', (c) => c.unique().references('vendors.id'))
    .addColumn('partner_id', 'text', (c) => c.unique().references('partners.id'))
    .addColumn('issuer', 'text', (c) => c.notNull())
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('client_secret', 'text', (c) => c.notNull())
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('groups_claim', 'text', (c) => c.notNull())
    .addColumn('role_mapping', 'text', (c) => c.notNull())
    .addColumn('email_domains', 'text', (c) => c.notNull())
    .addColumn('jit', 'integer', (c) => c.notNull())
    .addColumn('require_sso', 'integer', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addCheckConstraint(
      'sso_configs_owner_ck',
      sql`(vendor_id is null and partner_id is not null) or (vendor_id is not null and partner_id is null)`,
    )
    .execute();

  await db.schema
    .createTable('sso_logins')
    .addColumn('state_hash', 'text', (c) => c.primaryKey())
    .addColumn('config_id', 'text', (c) => c.notNull().references('sso_configs.id').onDelete('cascade'))
    .addColumn('nonce', 'text', (c) => c.notNull())
    .addColumn('code_verifier', 'text', (c) => c.notNull())
    .addColumn('redirect_uri', 'text', (c) => c.notNull())
    .addColumn('return_to', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .execute();

  await db.schema
    .createTable('sso_identities')
    .addColumn('issuer', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('person_id', 'text', (c) => c.notNull().references('people.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('sso_identities_pk', ['issuer', 'subject'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('sso_identities').execute();
  await db.schema.dropTable('sso_logins').execute();
  await db.schema.dropTable('sso_configs').execute();
}
