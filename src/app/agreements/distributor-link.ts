import { notFound, TrellisError } from '../../core/shared/errors.js';
import { partnerRepository } from '../../db/repositories/partner-repository.js';
import { vendorRepository } from '../../db/repositories/vendor-repository.js';
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
    const partners = partnerRepository(trx);
    const vendors = vendorRepository(trx);
    const partner = await partners.findById(input.partnerId);
    if (!partner) throw notFound('partner', input.partnerId);
    let vendorId: string | null = null;
    if (input.vendor !== null) {
      const v = await vendors.findBySlugOrId(input.vendor);
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
    const slugOf = async (id: string | null) => (id === null ? null : ((await vendors.slugOf(id)) ?? id));
    if (partner.representsVendorId === vendorId)
      return {
        partnerId: partner.id,
        partnerName: partner.name,
        represents: await slugOf(vendorId),
        changed: false,
      };
    // Conditional on the value read: a concurrent change makes this one a conflict, never a lost update.
    if (!(await partners.setRepresents(partner.id, partner.representsVendorId, vendorId)))
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
