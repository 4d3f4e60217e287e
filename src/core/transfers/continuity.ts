import { PRODUCT_FAMILIES, type ProductFamily } from '../model/catalog.js';
import type { PartnerKind } from '../model/partners.js';
import type { Region } from '../model/geography.js';
import { day, message, percent, renderEnglish, type Message } from '../messages/message.js';
import { formatPercent, type Ppm } from '../money/rate.js';
import {
  compileProgram,
  conditionFacts,
  dayNumber,
  evaluateLine,
  familyIndex,
  type CompiledProgram,
} from '../incentives/compile.js';
import type { LineFacts } from '../incentives/types.js';
import type { IsoDate, ProgramDefinition } from '../programs/types.js';
import { zoneOf } from '../programs/zones.js';

/**
 * The promise a split makes ("no change for partners", the agreement's continuity term), and its check:
 * on the day after the split each carried partner holds the promised tier in the target, and earns in the
 * target, per family the target sells, the same benefit rate it earned in the source.
 *
 * The benefit rate of a tier and family is what a reference line earns: a partner-channel line of that
 * family, sold by this partner (its kind, country, region, zone and exclusivity), to a customer that is
 * not new business, without a registered deal: the sum of the effective rates (after payout multipliers,
 * exclusive groups resolved) of every line-based component that applies to it on that day. Components
 * settled on a period's whole business (cross-sell, growth) depend on that business, not on the tier
 * alone, and are not part of the rate.
 */

export interface RatePartner {
  readonly kind: PartnerKind;
  readonly country: string;
  readonly region: Region;
  readonly exclusive: boolean;
}

export function compileForRates(program: ProgramDefinition): CompiledProgram {
  return compileProgram(program, { version: null });
}

/** The benefit rate per family (ppm) of a partner at a tier of a program on a day. */
export function benefitRates(
  p: CompiledProgram,
  tier: string,
  day: IsoDate,
  partner: RatePartner,
  families: readonly ProductFamily[],
): Record<string, Ppm> {
  const tierIndex = p.tierIndex.get(tier);
  const out: Record<string, Ppm> = {};
  const facts: LineFacts = {
    tier,
    exclusive: partner.exclusive,
    newBusiness: false,
    channel: 'partner',
    registeredDeal: false,
    partnerKind: partner.kind,
    partnerCountry: partner.country,
    partnerRegion: partner.region,
    partnerZone: zoneOf(p.program, partner.country),
    deliversServices: false,
  };
  for (const family of families) {
    if (tierIndex === undefined) {
      out[family] = 0;
      continue;
    }
    const cf = conditionFacts(p.currency, facts, { family });
    const applied = evaluateLine(p, dayNumber(day), familyIndex(family), tierIndex, facts, cf);
    out[family] = applied.reduce((sum, a) => sum + a.effectiveRate, 0);
  }
  return out;
}

export interface FamilyRates {
  readonly family: string;
  /** Ppm in the source at the source tier on the split day. */
  readonly source: Ppm;
  /** Ppm in the target at the tier held on the day after. */
  readonly target: Ppm;
}

export interface Difference {
  readonly what: 'tier' | 'rate';
  readonly family: string | null;
  readonly promised: string;
  readonly held: string;
  readonly sentence: string;
  /** The sentence as a message the app translates (checks stored before messages have none). */
  readonly sentenceMessage?: Message;
}

/** A difference with its sentence, in English and as a message. */
function difference(d: Omit<Difference, 'sentence' | 'sentenceMessage'>, m: Message): Difference {
  return { ...d, sentence: renderEnglish(m), sentenceMessage: m };
}

export interface PartnerCheck {
  readonly partnerId: string;
  readonly checkedOn: IsoDate;
  readonly sourceTier: string;
  readonly promisedTier: string;
  /** The tier held in the target on the check day (null: none). */
  readonly heldTier: string | null;
  readonly rates: readonly FamilyRates[];
  readonly differences: readonly Difference[];
  readonly ok: boolean;
}

/**
 * The check of one partner: the tier held on the check day against the promised one, and per family
 * the target's rate at the held tier against the source's rate at the source tier. Any difference (a
 * better rate included: the promise is "no change") fails the check; the caller may accept it.
 */
export function checkPartner(input: {
  partnerId: string;
  checkedOn: IsoDate;
  sourceTier: string;
  promisedTier: string;
  heldTier: string | null;
  sourceRates: Readonly<Record<string, Ppm>>;
  targetRates: Readonly<Record<string, Ppm>>;
  families: readonly string[];
}): PartnerCheck {
  const differences: Difference[] = [];
  if (input.heldTier !== input.promisedTier)
    differences.push(
      difference(
        { what: 'tier', family: null, promised: input.promisedTier, held: input.heldTier ?? 'none' },
        input.heldTier === null
          ? message('transfers.noTier', { day: day(input.checkedOn), promised: input.promisedTier })
          : message('transfers.tier', {
              held: input.heldTier,
              day: day(input.checkedOn),
              promised: input.promisedTier,
            }),
      ),
    );
  const rates: FamilyRates[] = [];
  for (const family of input.families) {
    const source = input.sourceRates[family] ?? 0;
    const target = input.targetRates[family] ?? 0;
    rates.push({ family, source, target });
    if (source !== target)
      differences.push(
        difference(
          { what: 'rate', family, promised: formatPercent(source), held: formatPercent(target) },
          message('transfers.rate', { family, target: percent(target), source: percent(source) }),
        ),
      );
  }
  return {
    partnerId: input.partnerId,
    checkedOn: input.checkedOn,
    sourceTier: input.sourceTier,
    promisedTier: input.promisedTier,
    heldTier: input.heldTier,
    rates,
    differences,
    ok: differences.length === 0,
  };
}

/** The families in the order the engine knows them. */
export function orderedFamilies(families: ReadonlySet<string>): ProductFamily[] {
  return PRODUCT_FAMILIES.filter((f) => families.has(f));
}
