import type { Kysely } from 'kysely';
import type { Ppm } from '../../core/money/rate.js';
import type { Database } from '../../db/schema.js';
import { agreementTermsFor } from '../agreements/agreements.js';

/**
 * Cross-vendor credit (issue 12, item 4): a partner record may stand for a vendor acting as a
 * distributor of another vendor's products (`partners.represents_vendor_id`: Dell Technologies
 * distributing VMware). A purchase through it is credited to the reseller in the supplying vendor's
 * program at the share an agreement in force on the order date gives in `provisions.crossCredit`
 * (`from: dell, to: vmware, share: 100%` = full credit). No agreement in force: no qualifying credit
 * for the line through another vendor's channel, and the tier evaluation says so.
 *
 * The days an agreement is in force come from its life cycle (`src/app/agreements`): from its effective
 * date to the end of its term, or to the day before a termination takes effect (notice + notice days).
 */

export interface AgreementWindow {
  /** First day in force. */
  readonly from: string;
  /** Last day in force (inclusive). */
  readonly to: string;
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

/** The cross-credit terms into a vendor's program of every agreement it is party to, with the days each is in force. */
export async function crossCreditTerms(
  db: Kysely<Database>,
  to: { readonly vendorId: string; readonly slug: string },
  day: string,
): Promise<CrossCreditTerm[]> {
  const terms: CrossCreditTerm[] = [];
  for (const a of await agreementTermsFor(db, to.vendorId, day)) {
    if (a.window === null) continue;
    const window = { from: a.window.from, to: a.window.lastDay ?? '9999-12-31' };
    for (const c of a.definition.provisions.crossCredit)
      if (c.to === to.slug)
        terms.push({
          agreementCode: a.code,
          agreementName: a.name,
          window,
          from: c.from,
          to: c.to,
          share: c.share,
        });
  }
  return terms;
}
