import type { ProductFamily } from '../model/catalog.js';
import {
  day,
  list,
  message,
  optional,
  renderEnglish,
  type Message,
  type MessageValue,
} from '../messages/message.js';
import { addDays } from '../programs/dates.js';
import type { IsoDate, ProgramDefinition } from '../programs/types.js';
import type { ErrorDetail } from '../shared/errors.js';

/**
 * The split (spin-off) of a partner base, as a pure plan: what each partner of the source program gets
 * in the target program on the split day, and what cannot be carried, with why. The app layer loads
 * the facts, applies the plan in one transaction and checks the promise (`continuity.ts`).
 */

/** Source tier code -> target tier code. */
export type TierMap = Readonly<Record<string, string>>;

/**
 * The tier map a split uses: the one given, checked; or, when none is given, the same rank (the
 * source's n-th tier to the target's n-th), which needs both programs to have as many tiers. Every
 * source tier must be mapped (a partner holding an unmapped tier would have no promise to keep); every
 * value must be a tier of the target; invitation-only statuses are never mapped (see `planSplit`).
 */
export function resolveTierMap(
  source: ProgramDefinition,
  target: ProgramDefinition,
  given: TierMap | null | undefined,
): { map: TierMap; errors: ErrorDetail[] } {
  const sourceTiers = source.tiers.map((t) => t.code);
  const targetTiers = target.tiers.map((t) => t.code);
  const errors: ErrorDetail[] = [];
  if (!given) {
    if (sourceTiers.length !== targetTiers.length)
      return {
        map: {},
        errors: [
          {
            location: 'tierMap',
            message: `${source.code} has ${sourceTiers.length} tiers and ${target.code} ${targetTiers.length}: no same-rank map; give a tierMap`,
          },
        ],
      };
    return { map: Object.fromEntries(sourceTiers.map((t, i) => [t, targetTiers[i] ?? ''])), errors };
  }
  const statuses = new Set(source.statuses.map((s) => s.code));
  for (const [from, to] of Object.entries(given)) {
    if (statuses.has(from))
      errors.push({
        location: `tierMap.${from}`,
        message: `${from} is an invitation-only status of ${source.code}: statuses are not carried (the target grants its own under its limits)`,
      });
    else if (!sourceTiers.includes(from))
      errors.push({
        location: `tierMap.${from}`,
        message: `${from} is not a tier of ${source.code} (tiers: ${sourceTiers.join(', ')})`,
      });
    if (!targetTiers.includes(to))
      errors.push({
        location: `tierMap.${from}`,
        message: `${to} is not a tier of ${target.code} (tiers: ${targetTiers.join(', ')})`,
      });
  }
  for (const t of sourceTiers)
    if (!(t in given))
      errors.push({ location: `tierMap.${t}`, message: `tier ${t} of ${source.code} is not mapped` });
  return { map: given, errors };
}

export interface HeldTier {
  readonly code: string;
  readonly validFrom: IsoDate;
  readonly grandfatheredUntil: IsoDate | null;
}

export interface SourceCertification {
  readonly id: string;
  readonly personId: string;
  readonly code: string;
  readonly kind: string;
  readonly family: string;
  readonly earnedOn: IsoDate;
  readonly expiresOn: IsoDate;
}

/** An open item of the source vendor (a deal registration or a routing offer) the plan must account for. */
export interface OpenItem {
  readonly id: string;
  readonly what: string;
  /** `what` as a message the app translates. */
  readonly whatMessage?: Message;
}

/** An open deal registration of the partner with the source, and what the target has to carry it. */
export interface OpenDeal extends OpenItem {
  readonly status: string;
  readonly currency: string;
  readonly families: readonly string[];
  readonly region: string;
  /** The target vendor's customer matching the registration's (by domain, else name and country). */
  readonly equivalent: { readonly customerId: string; readonly name: string } | null;
  /** The target already protects that customer in one of the registration's families and its region. */
  readonly claimTaken: boolean;
}

/** Registration states whose protection runs (the countdown a split carries). */
export const PROTECTED_DEAL_STATUSES: readonly string[] = ['approved', 'extended'];

/** What the app knows of one partner of the source program on the split day. */
export interface SplitPartnerFacts {
  readonly partnerId: string;
  readonly enrolment: {
    readonly partnerNumber: string;
    readonly status: string;
    readonly exclusive: boolean;
  };
  /** The tier held in the source on the split day (null: none recorded, the floor applies). */
  readonly sourceTier: HeldTier | null;
  /** Invitation-only statuses held in the source on the split day. */
  readonly sourceStatuses: readonly string[];
  /** Already enrolled in the target program. */
  readonly targetEnrolled: boolean;
  /** The tier held in the target on the split day, if any. */
  readonly targetTier: HeldTier | null;
  /** The partner's people's certifications with the source vendor, active on the split day. */
  readonly certifications: readonly SourceCertification[];
  /** `personId|code|kind|family` of the certifications its people already hold with the target vendor. */
  readonly targetCertificationKeys: ReadonlySet<string>;
  readonly openDeals: readonly OpenDeal[];
  readonly openOffers: readonly OpenItem[];
}

export interface SplitOptions {
  readonly day: IsoDate;
  readonly map: TierMap;
  /** Carried tiers are protected from downgrade until this day (exclusive); null = carried only. */
  readonly grandfatherUntil: IsoDate | null;
  /** The product families the target vendor sells. */
  readonly targetFamilies: ReadonlySet<string>;
}

export type NotCarriedKind = 'status' | 'certification' | 'deal' | 'offer' | 'tier';

export interface NotCarried {
  readonly kind: NotCarriedKind;
  readonly id: string;
  readonly why: string;
  /** `why` as a message the app translates (checks recorded before messages have none). */
  readonly whyMessage?: Message;
}

/** What is not carried, with why in English and as a message. */
export function notCarriedItem(kind: NotCarriedKind, id: string, why: Message): NotCarried {
  return { kind, id, why: renderEnglish(why), whyMessage: why };
}

const whatOf = (item: OpenItem): MessageValue =>
  item.whatMessage ? { message: item.whatMessage } : item.what;

export interface PartnerCarry {
  readonly partnerId: string;
  /** A new enrolment in the target (false: already enrolled there, kept as it is). */
  readonly enrol: boolean;
  readonly enrolment: SplitPartnerFacts['enrolment'];
  /** The source tier the promise starts from (the floor when none was recorded). */
  readonly sourceTier: string;
  /** The tier promised in the target from the split day. */
  readonly promisedTier: string;
  /** The membership written in the target, or null when the tier already held there is kept. */
  readonly membership: {
    readonly tierCode: string;
    readonly validFrom: IsoDate;
    readonly grandfatheredUntil: IsoDate | null;
    readonly source: 'transfer' | 'grandfathered';
    readonly reason: string;
    /** The reason as a message the app translates. */
    readonly reasonMessage: Message;
  } | null;
  readonly certifications: readonly SourceCertification[];
  /** Protected registrations carried to the target, with the target's customer. */
  readonly deals: readonly OpenDeal[];
  readonly notCarried: readonly NotCarried[];
}

const certificationKey = (c: { personId: string; code: string; kind: string; family: string }) =>
  `${c.personId}|${c.code}|${c.kind}|${c.family}`;

export { certificationKey };

/**
 * Plans one partner's carry. Rules (docs/transfers.md):
 * - enrolment: a new one in the target with the source's partner number, status and exclusivity, unless
 *   the partner is already enrolled there (kept);
 * - tier: the source tier held on the day (the floor when none is recorded) mapped through the tier map;
 *   a tier already held in the target at a higher rank is kept (the partner never loses by a split), at
 *   the same rank it is kept unless grandfathering is asked for; otherwise the mapped tier is written from
 *   the split day, grandfathered until `grandfatherUntil` when given;
 * - invitation-only statuses are not carried: the target grants its own under its own limits and sponsors;
 * - certifications active on the day in families the target sells are carried with their dates; others
 *   are listed with why; one already held with the target is not duplicated;
 * - a protected deal registration (approved or extended) is carried with its protection countdown (the
 *   same last protected day) when the target has the customer (`equivalent`), sells every family of it,
 *   counts in its currency and does not protect that customer, family and region already; a pending one
 *   (the source's decision) and the others are listed with why; the source's registration stays as it is;
 * - open routing offers are the source vendor's own direct orders: the target has no such order to offer,
 *   so they stay with the source and are listed with why.
 */
export function planPartnerCarry(
  source: ProgramDefinition,
  target: ProgramDefinition,
  facts: SplitPartnerFacts,
  options: SplitOptions,
): PartnerCarry {
  const targetRanks = target.tiers.map((t) => t.code);
  const floor = source.tiers[0]?.code ?? '';
  const sourceTier = facts.sourceTier?.code ?? floor;
  const mapped = options.map[sourceTier] ?? '';
  const notCarried: NotCarried[] = [];
  let promisedTier = mapped;
  let membership: PartnerCarry['membership'] = null;
  const held = facts.targetTier;
  const heldRank = held ? targetRanks.indexOf(held.code) : -1;
  const mappedRank = targetRanks.indexOf(mapped);
  if (held && heldRank > mappedRank) {
    promisedTier = held.code;
    notCarried.push(
      notCarriedItem(
        'tier',
        sourceTier,
        message('transfers.notCarried.tierAbove', { held: held.code, program: target.code, mapped }),
      ),
    );
  } else if (held && heldRank === mappedRank && options.grandfatherUntil === null) {
    notCarried.push(
      notCarriedItem(
        'tier',
        sourceTier,
        message('transfers.notCarried.tierSame', { held: held.code, program: target.code }),
      ),
    );
  } else {
    const reason = message('transfers.carried', {
      program: source.code,
      from: facts.sourceTier
        ? sourceTier
        : { message: message('transfers.carriedFloor', { tier: sourceTier }) },
      day: day(options.day),
      grandfathered: optional(
        options.grandfatherUntil
          ? message('transfers.carriedGrandfathered', { day: day(options.grandfatherUntil) })
          : null,
      ),
    });
    membership = {
      tierCode: mapped,
      validFrom: options.day,
      grandfatheredUntil: options.grandfatherUntil,
      source: options.grandfatherUntil ? 'grandfathered' : 'transfer',
      reason: renderEnglish(reason),
      reasonMessage: reason,
    };
  }
  for (const s of facts.sourceStatuses)
    notCarried.push(
      notCarriedItem(
        'status',
        s,
        message('transfers.notCarried.status', { status: s, program: source.code }),
      ),
    );
  const certifications: SourceCertification[] = [];
  for (const c of facts.certifications) {
    if (!options.targetFamilies.has(c.family))
      notCarried.push(
        notCarriedItem(
          'certification',
          c.id,
          message('transfers.notCarried.certificationNotSold', {
            code: c.code,
            family: c.family,
            vendor: target.vendor.slug,
          }),
        ),
      );
    else if (facts.targetCertificationKeys.has(certificationKey(c)))
      notCarried.push(
        notCarriedItem(
          'certification',
          c.id,
          message('transfers.notCarried.certificationHeld', {
            code: c.code,
            family: c.family,
            vendor: target.vendor.slug,
          }),
        ),
      );
    else certifications.push(c);
  }
  const deals: OpenDeal[] = [];
  const src = source.vendor.slug;
  const tgt = target.vendor.slug;
  for (const d of facts.openDeals) {
    const missing = d.families.filter((f) => !options.targetFamilies.has(f));
    const common = { what: whatOf(d), source: src, target: tgt };
    const why = !PROTECTED_DEAL_STATUSES.includes(d.status)
      ? message('transfers.notCarried.dealPending', common)
      : d.currency !== target.currency
        ? message('transfers.notCarried.dealCurrency', {
            ...common,
            currency: d.currency,
            program: target.code,
            programCurrency: target.currency,
          })
        : missing.length > 0
          ? message('transfers.notCarried.dealFamilies', { ...common, families: list(missing) })
          : d.equivalent === null
            ? message('transfers.notCarried.dealNoCustomer', common)
            : d.claimTaken
              ? message('transfers.notCarried.dealClaimed', { ...common, customer: d.equivalent.name })
              : null;
    if (why === null) deals.push(d);
    else notCarried.push(notCarriedItem('deal', d.id, why));
  }
  for (const o of facts.openOffers)
    notCarried.push(
      notCarriedItem(
        'offer',
        o.id,
        message('transfers.notCarried.offer', {
          what: whatOf(o),
          source: source.vendor.slug,
          target: target.vendor.slug,
        }),
      ),
    );
  return {
    partnerId: facts.partnerId,
    enrol: !facts.targetEnrolled,
    enrolment: facts.enrolment,
    sourceTier,
    promisedTier,
    membership,
    certifications,
    deals,
    notCarried,
  };
}

/** The day the promise is checked on: the day after the split. */
export function checkDay(day: IsoDate): IsoDate {
  return addDays(day, 1);
}

/** The families a vendor sells, from its products; with none, the families its program pays on. */
export function familiesSold(
  productFamilies: readonly string[],
  program: ProgramDefinition,
): ReadonlySet<ProductFamily> {
  if (productFamilies.length > 0) return new Set(productFamilies as ProductFamily[]);
  const out = new Set<ProductFamily>();
  for (const c of program.components) {
    if (c.kind === 'base-rebate')
      for (const rates of Object.values(c.rates))
        for (const f of Object.keys(rates)) out.add(f as ProductFamily);
    if ('families' in c) for (const f of c.families) out.add(f);
  }
  return out;
}
