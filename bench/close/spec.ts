import { PRODUCT_FAMILIES } from '../../src/core/model/catalog.js';
import type { ProductFamily } from '../../src/core/model/catalog.js';
import type { ConditionNode } from '../../src/core/programs/conditions.js';
import type { IncentiveComponent, ProgramDefinition } from '../../src/core/programs/types.js';

/**
 * What the peers (SQL, json-rules-engine) implement, read from the program file: the shape of the Dell EMC
 * FY18 components. The peers are hand-written equivalents of that shape; a program with another shape is
 * refused with the reason, rather than compared with a peer that does not compute the same thing.
 */
export interface PeerSpec {
  readonly tiers: readonly string[];
  /** base-rebate (accrual, per line): rates[tier * 6 + family] ppm, for lines whose channel is listed. */
  readonly base: {
    readonly code: string;
    readonly rates: readonly number[];
    readonly channels: readonly string[];
  };
  /** new-business (accrual, per line): points on lines of new customers in these families. */
  readonly newBusiness: {
    readonly code: string;
    readonly points: number;
    readonly families: readonly number[];
  };
  /** services-attach (close): points on these families, one rounding per (partner, tier, multiplier). */
  readonly services: { readonly code: string; readonly points: number; readonly families: readonly number[] };
  /** cross-sell (close): per customer, families with a positive net; base = net on `families`. */
  readonly crossSell: {
    readonly code: string;
    readonly points: number;
    readonly minFamilies: number;
    readonly combinations: readonly (readonly number[])[];
    readonly families: readonly number[];
    readonly capMinor: number | null;
  };
  /** growth-accelerator (close): period revenue against the same period last year, strictly above. */
  readonly growth: {
    readonly code: string;
    readonly thresholds: readonly { readonly above: number; readonly points: number }[];
  };
  /** The payout multiplier of exclusive partners, on every component. */
  readonly exclusiveFactor: number;
  /** Component codes in the engine's stacking order. */
  readonly order: readonly string[];
}

const familyIndexes = (families: readonly ProductFamily[]): number[] =>
  (families.length === 0 ? PRODUCT_FAMILIES : families).map((f) => PRODUCT_FAMILIES.indexOf(f));

function refuse(message: string): never {
  throw new Error(`the close bench peers implement the Dell EMC FY18 shape only: ${message}`);
}

function leaf(node: ConditionNode | null, attribute: string, operator: string): unknown {
  if (node === null || !('attribute' in node) || node.attribute !== attribute || node.operator !== operator) {
    return refuse(`expected condition ${attribute} ${operator}`);
  }
  return node.value;
}

export function peerSpec(program: ProgramDefinition): PeerSpec {
  // The bench's order lines name no deal registration, so the registered-deal bonus pays nothing on them:
  // the peers leave it out (Trellis computes it, as zero, like every component).
  const sorted = [...program.components]
    .filter((c) => c.kind !== 'deal-registration')
    .sort((a, b) => a.priority - b.priority);
  const one = <K extends IncentiveComponent['kind']>(kind: K) => {
    const list = sorted.filter((c) => c.kind === kind);
    if (list.length !== 1) refuse(`expected one ${kind} component, found ${list.length}`);
    const c = list[0] as Extract<IncentiveComponent, { kind: K }>;
    if (c.effective.from !== program.effective.from || c.effective.to !== program.effective.to) {
      refuse(`${c.code}: effective dates other than the program's`);
    }
    if (c.minimum !== null || c.exclusiveGroup !== null) refuse(`${c.code}: minimum or exclusive group`);
    if (kind !== 'cross-sell' && c.caps.perPartnerPerPeriod !== null) refuse(`${c.code}: cap`);
    return c;
  };
  if (sorted.length !== 6) refuse(`expected 6 components, found ${sorted.length}`);
  const base = one('base-rebate');
  const nb = one('new-business');
  const services = one('services-attach');
  const xs = one('cross-sell');
  const growth = one('growth-accelerator');
  const mult = one('payout-multiplier');
  if (base.settlement !== 'accrual' || nb.settlement !== 'accrual' || services.settlement !== 'close') {
    refuse('settlements: base and new business per line, services at close');
  }
  const channels = leaf(base.condition, 'order.channel', 'in') as string[];
  if (leaf(nb.condition, 'customer.newBusiness', 'eq') !== true) refuse('new-business condition');
  if (services.condition !== null || services.delivery !== 'either') refuse('services condition or delivery');
  if (xs.condition !== null || growth.condition !== null) refuse('close-only conditions');
  if (growth.comparedWith !== 'same-period-last-year' || growth.base !== 'period-revenue') {
    refuse('growth against the same period last year, on period revenue');
  }
  if (growth.families.length !== 0) refuse('growth on every family');
  if (leaf(mult.condition, 'partner.exclusive', 'eq') !== true || mult.appliesTo !== null) {
    refuse('one multiplier for exclusive partners on every component');
  }
  const tiers = program.tiers.map((t) => t.code);
  const rates: number[] = [];
  for (const t of tiers) {
    for (const f of PRODUCT_FAMILIES) rates.push(base.rates[t]?.[f] ?? 0);
  }
  const cap = xs.caps.perPartnerPerPeriod;
  return {
    tiers,
    base: { code: base.code, rates, channels },
    newBusiness: { code: nb.code, points: nb.points, families: familyIndexes(nb.families) },
    services: { code: services.code, points: services.points, families: familyIndexes(services.families) },
    crossSell: {
      code: xs.code,
      points: xs.points,
      minFamilies: xs.minFamilies,
      combinations: xs.combinations.map((c) => c.map((f) => PRODUCT_FAMILIES.indexOf(f))),
      families: familyIndexes(xs.families),
      capMinor: cap === null ? null : cap.amountMinor,
    },
    growth: { code: growth.code, thresholds: growth.thresholds },
    exclusiveFactor: mult.factor,
    order: sorted.filter((c) => c.kind !== 'payout-multiplier').map((c) => c.code),
  };
}
