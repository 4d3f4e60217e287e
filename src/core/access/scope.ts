/**
 * Whose data a caller may read or change. Every repository method that touches tenant data takes one;
 * there is no unscoped variant for tenant tables, so forgetting the scope does not compile.
 * - system: the operator's own tools (CLI, migrations, the demo loader); never given to an HTTP caller.
 * - vendor: people and tokens of one vendor, optionally limited to some sales regions.
 * - partner: people and tokens of one partner company, across the vendors it is enrolled with.
 */
export type Scope =
  | { kind: 'system' }
  | { kind: 'vendor'; vendorId: string; regions: readonly string[] }
  | { kind: 'partner'; partnerId: string; ownerPersonId: string | null };

export const SYSTEM_SCOPE: Scope = { kind: 'system' };
