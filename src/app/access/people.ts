import { isRole, PARTNER_ROLES, VENDOR_ROLES, type Role } from '../../core/model/people.js';
import { TrellisError } from '../../core/shared/errors.js';
import { authRepository } from '../../db/repositories/auth-repository.js';
import type { AppContext } from '../context.js';
import { recordAudit } from './audit.js';

/**
 * `trellis users add`: an operator creates a person with one role for a vendor (by slug) or a partner
 * (by id). The person sets a password with `trellis users reset-password`.
 */
export async function addPerson(
  ctx: AppContext,
  input: {
    email: string;
    name: string;
    role: string;
    vendor?: string | undefined;
    partner?: string | undefined;
    regions?: string[];
  },
): Promise<{ personId: string }> {
  const email = input.email.trim().toLowerCase();
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email))
    throw new TrellisError('invalid_input', `"${input.email}" is not an email address`);
  if (!isRole(input.role))
    throw new TrellisError(
      'invalid_input',
      `unknown role "${input.role}"; use one of ${[...VENDOR_ROLES, ...PARTNER_ROLES].join(', ')}`,
    );
  const role: Role = input.role;
  const vendorSide = VENDOR_ROLES.includes(role);
  if (vendorSide === !input.vendor || (!vendorSide && !input.partner))
    throw new TrellisError(
      'invalid_input',
      vendorSide ? `role ${role} needs --vendor <slug>` : `role ${role} needs --partner <id>`,
    );
  const vendor = input.vendor ? await ctx.repos.vendors.findBySlug(input.vendor) : undefined;
  if (input.vendor && !vendor) throw new TrellisError('not_found', `no vendor has the slug ${input.vendor}`);
  const partner = input.partner ? await ctx.repos.partners.findById(input.partner) : undefined;
  if (input.partner && !partner)
    throw new TrellisError('not_found', `no partner has the id ${input.partner}`);
  if (await authRepository(ctx.store.db).personIdByEmail(email))
    throw new TrellisError('conflict', `a person with the email ${email} already exists`);
  const personId = ctx.ids.next('person');
  const now = ctx.clock.now().toISOString();
  await ctx.store.db.transaction().execute(async (trx) => {
    await authRepository(trx).insertPerson(
      {
        id: personId,
        email,
        name: input.name,
        vendorId: vendor?.id ?? null,
        partnerId: partner?.id ?? null,
        createdAt: now,
      },
      {
        id: ctx.ids.next('roleGrant'),
        personId,
        role,
        vendorId: vendor?.id ?? null,
        partnerId: partner?.id ?? null,
        regions: JSON.stringify(input.regions ?? []),
      },
    );
    await recordAudit(trx, ctx, {
      actor: { kind: 'system', id: 'cli' },
      action: 'person.create',
      target: { type: 'person', id: personId, vendorId: vendor?.id ?? null, partnerId: partner?.id ?? null },
      after: { email, name: input.name, role },
    });
  });
  return { personId };
}
