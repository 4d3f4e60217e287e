import type { Kysely } from 'kysely';
import { addDays } from '../../core/programs/dates.js';
import type { Ppm } from '../../core/money/rate.js';
import type { AgreementDefinition } from '../../core/programs/types.js';
import type { Database } from '../../db/schema.js';

/**
 * Cross-vendor credit (issue 12, item 4): a partner record may stand for a vendor acting as a
 * distributor of another vendor's products (`partners.represents_vendor_id`: Dell Technologies
 * distributing VMware). A purchase through it is credited to the reseller in the supplying vendor's
 * program at the share an agreement in force on the order date gives in `provisions.crossCredit`
 * (`from: dell, to: vmware, share: 100%` = full credit). No agreement in force: no qualifying credit
 * for the line through another vendor's channel, and the tier evaluation says so.
 *
 * The window an agreement is in force is decided by `agreementWindow` alone. Today it reads the
 * definition: its `effective` dates, cut short by the first termination event the file records (the
 * agreement is no longer in force from that event's effective date). The agreements life cycle (notice,
 * termination effective date) replaces this one function when it lands.
 */

export interface AgreementWindow {
  /** First day in force. */
  readonly from: string;
  /** Last day in force (inclusive). */
  readonly to: string;
}

/** The days an agreement is in force (see the module comment: the life cycle replaces this). */
export function agreementWindow(definition: AgreementDefinition): AgreementWindow {
  let to = definition.effective.to ?? '9999-12-31';
  for (const e of definition.termination.events) {
    const last = addDays(e.effective, -1);
    if (last < to) to = last;
  }
  return { from: definition.effective.from, to };
}

export interface CrossCreditTerm {
  readonly agreementCode: string;
  readonly agreementName: string;
  readonly window: AgreementWindow;
  /** Vendor slugs: purchases through `from`'s channel count in `to`'s program at `share`. */
  readonly from: string;
  readonly to: string;
  readonly share: Ppm;
}

export interface CrossCreditAnswer {
  /** ppm of the line's amount credited (1 000 000 = full credit, 0 = none). */
  readonly share: Ppm;
  /** The agreement that gives it; null when none is in force on the day. */
  readonly agreement: { readonly code: string; readonly name: string } | null;
}

/**
 * The share of a purchase made on `day` through vendor `from`'s channel that counts in vendor `to`'s
 * program. Several agreements in force on one day: the highest share counts (the agreements life cycle
 * refuses contradicting overlaps). None: share 0.
 */
export function crossCreditShare(
  terms: readonly CrossCreditTerm[],
  query: { readonly from: string; readonly to: string; readonly day: string },
): CrossCreditAnswer {
  let best: CrossCreditTerm | null = null;
  for (const t of terms) {
    if (t.from !== query.from || t.to !== query.to) continue;
    if (query.day < t.window.from || query.day > t.window.to) continue;
    if (!best || t.share > best.share) best = t;
  }
  return best
    ? { share: best.share, agreement: { code: best.agreementCode, name: best.agreementName } }
    : { share: 0, agreement: null };
}

/** Every stored agreement's cross-credit terms into vendor `toSlug`'s program. */
export async function crossCreditTerms(db: Kysely<Database>, toSlug: string): Promise<CrossCreditTerm[]> {
  const rows = await db.selectFrom('agreements').select(['code', 'name', 'definition']).execute();
  const terms: CrossCreditTerm[] = [];
  for (const r of rows) {
    const definition = JSON.parse(r.definition) as AgreementDefinition;
    const window = agreementWindow(definition);
    for (const c of definition.provisions.crossCredit)
      if (c.to === toSlug)
        terms.push({
          agreementCode: r.code,
          agreementName: r.name,
          window,
          from: c.from,
          to: c.to,
          share: c.share,
        });
  }
  return terms;
}
