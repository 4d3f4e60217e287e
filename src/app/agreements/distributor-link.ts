import { notFound, TrellisError } from '../../core/shared/errors.js';
import { recordAudit } from '../access/audit.js';
import type { AppContext } from '../context.js';

export interface DistributorLink {
  partnerId: string;
  partnerName: string;
  /** The vendor (slug) the partner record stands for, or null when it is an ordinary distributor. */
  represents: string | null;
  changed: boolean;
}

/**
 * The platform operator marks a distributor record as standing for a vendor acting as a distributor of
 * other vendors' products (Dell Technologies distributing VMware), or clears the mark. Purchases through
 * such a record count in another vendor's program only under an agreement's cross-credit in force on the
 * order date (src/app/tiers/cross-credit.ts). Partners are shared by every vendor, so no single vendor may
 * set it: the operator does (CLI), audited. Idempotent; one conditional update.
 */
export async function linkDistributor(
  ctx: AppContext,
  who: { actor: { kind: 'system'; id: string } },
  input: { partnerId: string; vendor: string | null },
): Promise<DistributorLink> {
  return ctx.store.db.transaction().execute(async (trx) => {
    const partner = await trx
      .selectFrom('partners')
      .select(['id', 'name', 'kind', 'representsVendorId'])
      .where('id', '=', input.partnerId)
      .executeTakeFirst();
    if (!partner) throw notFound('partner', input.partnerId);
    let vendorId: string | null = null;
    if (input.vendor !== null) {
      const v = await trx
        .selectFrom('vendors')
        .select(['id', 'slug'])
        .where((eb) =>
          eb.or([eb('slug', '=', input.vendor as string), eb('id', '=', input.vendor as string)]),
        )
        .executeTakeFirst();
      if (!v)
        throw new TrellisError('invalid_input', `no vendor has the slug or id ${input.vendor}`, [
          { location: 'vendor', message: `unknown vendor ${input.vendor}` },
        ]);
      if (partner.kind !== 'distributor')
        throw new TrellisError(
          'invalid_input',
          `${partner.name} (${partner.id}) is a ${partner.kind}: only a distributor can stand for a vendor acting as a distributor`,
          [{ location: 'partnerId', message: 'not a distributor' }],
        );
      vendorId = v.id;
    }
    const slugOf = async (id: string | null) =>
      id === null
        ? null
        : ((await trx.selectFrom('vendors').select('slug').where('id', '=', id).executeTakeFirst())?.slug ??
          id);
    if (partner.representsVendorId === vendorId)
      return {
        partnerId: partner.id,
        partnerName: partner.name,
        represents: await slugOf(vendorId),
        changed: false,
      };
    // Conditional on the value read: a concurrent change makes this one a conflict, never a lost update.
    const updated = await trx
      .updateTable('partners')
      .set({ representsVendorId: vendorId })
      .where('id', '=', partner.id)
      .where((eb) =>
        partner.representsVendorId === null
          ? eb('representsVendorId', 'is', null)
          : eb('representsVendorId', '=', partner.representsVendorId),
      )
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1)
      throw new TrellisError('conflict', `${partner.name} (${partner.id}) was changed meanwhile; try again`);
    await recordAudit(trx, ctx, {
      actor: who.actor,
      action: 'partner.represents',
      target: { type: 'partner', id: partner.id, vendorId: null, partnerId: partner.id },
      before: { representsVendorId: partner.representsVendorId },
      after: { representsVendorId: vendorId },
    });
    return {
      partnerId: partner.id,
      partnerName: partner.name,
      represents: await slugOf(vendorId),
      changed: true,
    };
  });
}
