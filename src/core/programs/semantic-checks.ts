import type { Money } from '../money/money.js';
import { formatMoney } from '../money/money.js';
import { MAX_PAYOUT_RATE_PPM, MAX_QUALIFYING_FACTOR_PPM, worstPayoutRatePpm } from '../money/limits.js';
import { formatFactor, formatPercent, PPM_ONE } from '../money/rate.js';
import type { ConditionNode } from './conditions.js';
import { CONDITION_ATTRIBUTES, conditionLeaves } from './conditions.js';
import { isBuiltInRejectionReason } from '../deals/reasons.js';
import { addDays, addDuration } from './dates.js';
import type { AgreementDefinition, ProgramDefinition, QualificationPath, TrellisDocument } from './types.js';

/**
 * Checks zod cannot express: references between sections, ordering of tiers, dates and currencies.
 * Each issue carries the path of the offending value (or key) so the parser can point at it.
 */

export type IssuePath = (string | number)[];

export interface SemanticIssue {
  readonly path: IssuePath;
  readonly message: string;
  /** Point at the mapping key rather than its value (for unknown keys). */
  readonly target?: 'key';
}

export function checkDocument(doc: TrellisDocument): SemanticIssue[] {
  return doc.kind === 'Program' ? checkProgram(doc) : checkAgreement(doc);
}

function duplicates<T>(
  items: readonly T[],
  key: (item: T) => string,
  path: (i: number) => IssuePath,
  what: string,
): SemanticIssue[] {
  const seen = new Map<string, number>();
  const out: SemanticIssue[] = [];
  items.forEach((item, i) => {
    const k = key(item);
    const first = seen.get(k);
    if (first === undefined) seen.set(k, i);
    else out.push({ path: path(i), message: `duplicate ${what} "${k}" (first used at index ${first})` });
  });
  return out;
}

function isMoney(v: unknown): v is Money {
  return typeof v === 'object' && v !== null && 'amountMinor' in v && 'currency' in v;
}

/** Every Money value in a tree, with its path. */
function moneyValues(value: unknown, path: IssuePath, out: { money: Money; path: IssuePath }[]): void {
  if (isMoney(value)) out.push({ money: value, path });
  else if (Array.isArray(value)) value.forEach((v, i) => moneyValues(v, [...path, i], out));
  else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) moneyValues(v, [...path, k], out);
  }
}

/** How demanding a path is, measure by measure (absent = 0); undefined where currencies differ. */
function measures(p: QualificationPath): Record<string, Money | number | null> {
  const sum = (list: readonly { count: number }[]) => list.reduce((s, r) => s + r.count, 0);
  return {
    revenue: p.revenue,
    servicesRevenue: p.servicesRevenue,
    credits: p.credits ?? 0,
    companyCertifications: sum(p.companyCertifications),
    certifiedPeople: sum(p.certifiedPeople),
  };
}

/** True if meeting `lower` always meets `higher` too: `higher` asks no more on any measure. */
function noHarder(higher: QualificationPath, lower: QualificationPath): boolean {
  const h = measures(higher);
  const l = measures(lower);
  for (const key of Object.keys(h)) {
    const a = h[key] ?? null;
    const b = l[key] ?? null;
    if (a === null) continue;
    if (typeof a === 'number') {
      if (a > (typeof b === 'number' ? b : 0)) return false;
    } else {
      if (b === null || typeof b === 'number') {
        if (a.amountMinor > 0) return false;
      } else if (a.currency !== b.currency || a.amountMinor > b.amountMinor) return false;
    }
  }
  return true;
}

function isEmptyPath(p: QualificationPath): boolean {
  return (
    p.revenue === null &&
    p.servicesRevenue === null &&
    p.credits === null &&
    p.companyCertifications.length === 0 &&
    p.certifiedPeople.length === 0
  );
}

function checkConditionRefs(
  condition: ConditionNode | null,
  path: IssuePath,
  refs: { tiers: Set<string>; zones: Set<string>; statuses: Set<string> },
): SemanticIssue[] {
  if (condition === null) return [];
  const out: SemanticIssue[] = [];
  for (const { leaf, path: at } of conditionLeaves(condition)) {
    const type = CONDITION_ATTRIBUTES[leaf.attribute].type;
    if (type !== 'tier' && type !== 'zone' && type !== 'status') continue;
    const known = type === 'tier' ? refs.tiers : type === 'zone' ? refs.zones : refs.statuses;
    const values = Array.isArray(leaf.value) ? leaf.value : [leaf.value];
    values.forEach((v, i) => {
      if (typeof v === 'string' && !known.has(v)) {
        out.push({
          path: [...path, ...at, 'value', ...(Array.isArray(leaf.value) ? [i] : [])],
          message: `${leaf.attribute}: unknown ${type} "${v}"; expected one of ${[...known].join(', ') || '(none defined)'}`,
        });
      }
    });
  }
  return out;
}

function checkRange(range: { from: string; to: string | null }, path: IssuePath): SemanticIssue[] {
  return range.to !== null && range.to < range.from
    ? [{ path: [...path, 'to'], message: `effective.to ${range.to} is before effective.from ${range.from}` }]
    : [];
}

export function checkProgram(p: ProgramDefinition): SemanticIssue[] {
  const out: SemanticIssue[] = [];
  const tierCodes = p.tiers.map((t) => t.code);
  const refs = {
    tiers: new Set(tierCodes),
    zones: new Set(p.zones.map((z) => z.code)),
    statuses: new Set(p.statuses.map((s) => s.code)),
  };
  const list = (set: Set<string>) => [...set].join(', ') || '(none defined)';

  // Dates and currencies.
  out.push(...checkRange(p.effective, ['effective']));
  const currencies = new Set([p.currency, ...p.additionalCurrencies]);
  const found: { money: Money; path: IssuePath }[] = [];
  moneyValues(p, [], found);
  for (const { money, path } of found) {
    if (!currencies.has(money.currency)) {
      out.push({
        path,
        message: `${formatMoney(money)} is not in the program currency ${p.currency}; write it in ${p.currency} or list ${money.currency} under additionalCurrencies`,
      });
    }
  }
  if (!currencies.has(p.payouts.currency)) {
    out.push({
      path: ['payouts', 'currency'],
      message: `payout currency ${p.payouts.currency} is neither the program currency ${p.currency} nor listed under additionalCurrencies`,
    });
  }
  if (p.exchange) {
    p.exchange.orderCurrencies.forEach((rule, i) => {
      if (rule.zones.length === 0 && rule.countries.length === 0)
        out.push({
          path: ['exchange', 'orderCurrencies', i],
          message: 'name the zones or the countries whose orders may be in these currencies',
        });
      rule.zones.forEach((z, j) => {
        if (!refs.zones.has(z))
          out.push({
            path: ['exchange', 'orderCurrencies', i, 'zones', j],
            message: `unknown zone "${z}"; zones: ${list(refs.zones)}`,
          });
      });
      rule.currencies.forEach((c, j) => {
        if (c === p.currency)
          out.push({
            path: ['exchange', 'orderCurrencies', i, 'currencies', j],
            message: `${c} is the program currency: orders in it are always taken; list only other currencies`,
          });
      });
    });
    if (p.payouts.currency !== p.currency)
      out.push({
        path: ['payouts', 'currency'],
        message: `with an exchange section, statements are kept and paid by default in the program currency ${p.currency}; list ${p.payouts.currency} under exchange.payoutCurrencies for the partners who choose it`,
      });
    p.exchange.payoutCurrencies.forEach((c, j) => {
      if (c === p.payouts.currency)
        out.push({
          path: ['exchange', 'payoutCurrencies', j],
          message: `${c} is already the payout currency (payouts.currency); list only other currencies`,
        });
    });
  }

  // Zones.
  out.push(
    ...duplicates(
      p.zones,
      (z) => z.code,
      (i) => ['zones', i, 'code'],
      'zone code',
    ),
  );
  const countryZone = new Map<string, string>();
  const regionZone = new Map<string, string>();
  p.zones.forEach((z, i) => {
    z.countries.forEach((c, j) => {
      const other = countryZone.get(c);
      if (other !== undefined) {
        out.push({ path: ['zones', i, 'countries', j], message: `country ${c} is already in zone ${other}` });
      } else countryZone.set(c, z.code);
    });
    z.regions.forEach((r, j) => {
      const other = regionZone.get(r);
      if (other !== undefined) {
        out.push({ path: ['zones', i, 'regions', j], message: `region ${r} is already in zone ${other}` });
      } else regionZone.set(r, z.code);
    });
    if (z.countries.length === 0 && z.regions.length === 0 && p.defaultZone !== z.code) {
      out.push({
        path: ['zones', i],
        message: `zone ${z.code} lists no countries or regions and is not the defaultZone`,
      });
    }
  });
  if (p.defaultZone !== null && !refs.zones.has(p.defaultZone)) {
    out.push({
      path: ['defaultZone'],
      message: `unknown zone "${p.defaultZone}"; expected one of ${list(refs.zones)}`,
    });
  }
  out.push(
    ...duplicates(
      p.supersedes,
      (s) => s,
      (i) => ['supersedes', i],
      'superseded program',
    ),
  );

  // Tiers.
  out.push(
    ...duplicates(
      p.tiers,
      (t) => t.code,
      (i) => ['tiers', i, 'code'],
      'tier code',
    ),
  );
  const floor = p.tiers[0];
  if (floor !== undefined && floor.requirements.length > 0) {
    out.push({
      path: ['tiers', 0, 'requirements'],
      message: `the floor tier ${floor.code} (the first tier) must have no requirements`,
    });
  }
  p.tiers.forEach((tier, ti) => {
    if (ti === 0) return;
    if (tier.requirements.length === 0) {
      out.push({
        path: ['tiers', ti],
        message: `tier ${tier.code} has no requirements; only the floor tier (${floor?.code}) may have none`,
      });
      return;
    }
    const zoneSeen = new Set<string>();
    tier.requirements.forEach((req, ri) => {
      req.zones.forEach((z, zi) => {
        if (!refs.zones.has(z)) {
          out.push({
            path: ['tiers', ti, 'requirements', ri, 'zones', zi],
            message: `unknown zone "${z}"; expected one of ${list(refs.zones)}`,
          });
        } else if (zoneSeen.has(z)) {
          out.push({
            path: ['tiers', ti, 'requirements', ri, 'zones', zi],
            message: `zone ${z} already has requirements in tier ${tier.code}`,
          });
        }
        zoneSeen.add(z);
      });
      req.paths.forEach((path, pi) => {
        if (isEmptyPath(path)) {
          out.push({
            path: ['tiers', ti, 'requirements', ri, 'paths', pi],
            message: `this path of tier ${tier.code} requires nothing; give it revenue, servicesRevenue, credits, companyCertifications or certifiedPeople`,
          });
        }
        if (path.credits !== null && p.qualification.creditValue === null) {
          out.push({
            path: ['tiers', ti, 'requirements', ri, 'paths', pi, 'credits'],
            message: 'credits are required but qualification.creditValue is not set',
          });
        }
      });
    });
    for (const zone of refs.zones) {
      if (!zoneSeen.has(zone)) {
        out.push({
          path: ['tiers', ti, 'requirements'],
          message: `tier ${tier.code} has no requirements for zone ${zone}`,
        });
      }
    }
    // Rank order: in every zone, a tier must be harder to reach than the tier below it.
    const below = p.tiers[ti - 1];
    if (below === undefined || ti - 1 === 0) return;
    tier.requirements.forEach((req, ri) => {
      for (const zone of req.zones) {
        const lowerPaths = below.requirements.filter((r) => r.zones.includes(zone)).flatMap((r) => r.paths);
        if (lowerPaths.length === 0) continue;
        if (req.paths.every((hp) => lowerPaths.some((lp) => noHarder(hp, lp)))) {
          out.push({
            path: ['tiers', ti, 'requirements', ri],
            message: `tier ${tier.code} is no harder to reach than ${below.code} below it in zone ${zone} (each of its paths asks no more than a ${below.code} path); list tiers from lowest to highest rank with increasing requirements`,
          });
          break;
        }
      }
    });
  });

  // Qualification helpers: invitation-only statuses.
  out.push(
    ...duplicates(
      p.statuses,
      (s) => s.code,
      (i) => ['statuses', i, 'code'],
      'status code',
    ),
  );
  p.statuses.forEach((s, i) => {
    if (!refs.tiers.has(s.baseTier)) {
      out.push({
        path: ['statuses', i, 'baseTier'],
        message: `unknown base tier "${s.baseTier}"; expected one of ${list(refs.tiers)}`,
      });
    }
    if (refs.tiers.has(s.code)) {
      out.push({ path: ['statuses', i, 'code'], message: `status code ${s.code} is also a tier code` });
    }
  });

  // Multipliers.
  out.push(
    ...duplicates(
      p.qualifyingMultipliers,
      (m) => m.code,
      (i) => ['qualifyingMultipliers', i, 'code'],
      'multiplier code',
    ),
  );
  p.qualifyingMultipliers.forEach((m, i) => {
    out.push(...checkConditionRefs(m.condition, ['qualifyingMultipliers', i, 'condition'], refs));
    if (m.scope.includes('credits') && p.qualification.creditValue === null) {
      out.push({
        path: ['qualifyingMultipliers', i, 'scope'],
        message: 'scope includes credits but qualification.creditValue is not set',
      });
    }
  });

  // Market development funds.
  const mdf = p.marketingFunds;
  if (mdf) {
    out.push(
      ...duplicates(
        mdf.activityTypes,
        (t) => t.code,
        (i) => ['marketingFunds', 'activityTypes', i, 'code'],
        'activity type code',
      ),
      ...duplicates(
        mdf.proposalFunds,
        (f) => f.code,
        (i) => ['marketingFunds', 'proposalFunds', i, 'code'],
        'proposal fund code',
      ),
    );
    const zoneCodes = new Set(p.zones.map((z) => z.code));
    mdf.proposalFunds.forEach((f, i) => {
      f.zones.forEach((z, j) => {
        if (!zoneCodes.has(z))
          out.push({
            path: ['marketingFunds', 'proposalFunds', i, 'zones', j],
            message: `unknown zone "${z}"`,
          });
      });
      if (f.amount.currency !== p.currency)
        out.push({
          path: ['marketingFunds', 'proposalFunds', i, 'amount'],
          message: `a proposal fund is held in the program's currency ${p.currency}, not ${f.amount.currency}`,
        });
      if (f.amount.amountMinor <= 0)
        out.push({
          path: ['marketingFunds', 'proposalFunds', i, 'amount'],
          message: 'must be more than zero',
        });
    });
  }

  // Budget pools and components.
  out.push(
    ...duplicates(
      p.budgetPools,
      (b) => b.code,
      (i) => ['budgetPools', i, 'code'],
      'budget pool code',
    ),
  );
  const pools = new Set(p.budgetPools.map((b) => b.code));
  const componentCodes = new Set(p.components.map((c) => c.code));
  out.push(
    ...duplicates(
      p.components,
      (c) => c.code,
      (i) => ['components', i, 'code'],
      'component code',
    ),
  );
  p.components.forEach((c, i) => {
    const at = (...rest: IssuePath): IssuePath => ['components', i, ...rest];
    out.push(...checkConditionRefs(c.condition, at('condition'), refs));
    out.push(...checkRange(c.effective, at('effective')));
    if (
      c.effective.from < p.effective.from ||
      (p.effective.to !== null && (c.effective.to ?? '9999') > p.effective.to)
    ) {
      out.push({
        path: at('effective'),
        message: `component ${c.code} is effective outside the program (${p.effective.from} to ${p.effective.to ?? 'open'})`,
      });
    }
    if (c.budgetPool !== null && !pools.has(c.budgetPool)) {
      out.push({
        path: at('budgetPool'),
        message: `unknown budget pool "${c.budgetPool}"; expected one of ${list(pools)}`,
      });
    }
    switch (c.kind) {
      case 'base-rebate':
        for (const tier of Object.keys(c.rates)) {
          if (!refs.tiers.has(tier)) {
            out.push({
              path: at('rates', tier),
              target: 'key',
              message: `unknown tier "${tier}" in rates; expected one of ${list(refs.tiers)}`,
            });
          }
        }
        break;
      case 'growth-accelerator':
        c.thresholds.forEach((t, j) => {
          const prev = c.thresholds[j - 1];
          if (prev !== undefined && t.above <= prev.above) {
            out.push({
              path: at('thresholds', j, 'above'),
              message: `thresholds must increase: ${formatPercent(t.above)} is not above ${formatPercent(prev.above)}`,
            });
          }
        });
        break;
      case 'payout-multiplier':
        (c.appliesTo ?? []).forEach((code, j) => {
          if (code === c.code) {
            out.push({ path: at('appliesTo', j), message: 'a payout multiplier cannot apply to itself' });
          } else if (!componentCodes.has(code)) {
            out.push({
              path: at('appliesTo', j),
              message: `unknown component "${code}"; expected one of ${list(componentCodes)}`,
            });
          }
        });
        break;
      case 'cross-sell':
        c.combinations.forEach((combo, j) => {
          if (new Set(combo).size !== combo.length) {
            out.push({ path: at('combinations', j), message: 'a combination lists the same family twice' });
          }
        });
        break;
      default:
        break;
    }
  });

  out.push(...checkPayoutRate(p));

  // Status match.
  if (p.statusMatch !== null) {
    const sm = p.statusMatch;
    if (sm.effective < p.effective.from || (p.effective.to !== null && sm.effective > p.effective.to)) {
      out.push({
        path: ['statusMatch', 'effective'],
        message: `status match date ${sm.effective} is outside the program's dates`,
      });
    }
    out.push(
      ...duplicates(
        sm.legacyPrograms,
        (l) => l.program,
        (i) => ['statusMatch', 'legacyPrograms', i, 'program'],
        'legacy program',
      ),
    );
    sm.legacyPrograms.forEach((l, i) => {
      if (!p.supersedes.includes(l.program)) {
        out.push({
          path: ['statusMatch', 'legacyPrograms', i, 'program'],
          message: `legacy program ${l.program} is not listed under supersedes (${p.supersedes.join(', ') || 'empty'})`,
        });
      }
      for (const [legacy, target] of Object.entries(l.tiers)) {
        if (!refs.tiers.has(target)) {
          out.push({
            path: ['statusMatch', 'legacyPrograms', i, 'tiers', legacy],
            message: `legacy tier ${legacy} maps to unknown tier "${target}"; expected one of ${list(refs.tiers)}`,
          });
        }
      }
    });
  }

  // Deal registration.
  out.push(
    ...duplicates(
      p.dealRegistration.minimumDealSize.rules,
      (r) => `${r.region ?? '*'}/${r.segment ?? '*'}/${r.family ?? '*'}`,
      (i) => ['dealRegistration', 'minimumDealSize', 'rules', i],
      'minimum-deal-size rule (region/segment/family)',
    ),
  );
  const benefit = p.dealRegistration.benefit;
  if (benefit !== null) {
    const target = p.components.find((c) => c.code === benefit);
    if (target === undefined) {
      out.push({
        path: ['dealRegistration', 'benefit'],
        message: `unknown component "${benefit}"; expected a deal-registration component (${
          p.components
            .filter((c) => c.kind === 'deal-registration')
            .map((c) => c.code)
            .join(', ') || 'none defined'
        })`,
      });
    } else if (target.kind !== 'deal-registration') {
      out.push({
        path: ['dealRegistration', 'benefit'],
        message: `component "${benefit}" is a ${target.kind}; the benefit must be a deal-registration component`,
      });
    }
  }
  const reasons = p.dealRegistration.rejectionReasons;
  reasons.forEach((r, i) => {
    if (isBuiltInRejectionReason(r.code)) {
      out.push({
        path: ['dealRegistration', 'rejectionReasons', i, 'code'],
        message: `"${r.code}" is a built-in rejection reason; add only new codes`,
      });
    }
  });
  out.push(
    ...duplicates(
      reasons,
      (r) => r.code,
      (i) => ['dealRegistration', 'rejectionReasons', i, 'code'],
      'rejection reason',
    ),
  );

  // Coverage.
  const named = p.coverage.directNamedAccounts;
  if (named.maxCount !== null && named.accounts.length > named.maxCount) {
    out.push({
      path: ['coverage', 'directNamedAccounts', 'accounts'],
      message: `${named.accounts.length} named accounts listed but maxCount is ${named.maxCount}`,
    });
  }
  out.push(
    ...duplicates(
      named.accounts,
      (a) => a.name.toLowerCase(),
      (i) => ['coverage', 'directNamedAccounts', 'accounts', i, 'name'],
      'named account',
    ),
  );

  const routing = p.coverage.routing;
  out.push(
    ...duplicates(
      routing.order,
      (step) => step,
      (i) => ['coverage', 'routing', 'order', i],
      'routing step',
    ),
  );
  const rr = routing.order.indexOf('round-robin');
  if (rr >= 0 && rr < routing.order.length - 1)
    out.push({
      path: ['coverage', 'routing', 'order', rr + 1],
      message: 'round-robin must be the last routing step (candidates tied on the steps before it rotate)',
    });

  // Payouts.
  p.payouts.dates.forEach((d, i) => {
    if (d.pay < d.close) {
      out.push({
        path: ['payouts', 'dates', i, 'pay'],
        message: `pay date ${d.pay} is before close date ${d.close}`,
      });
    }
  });
  out.push(
    ...duplicates(
      p.payouts.dates,
      (d) => d.period,
      (i) => ['payouts', 'dates', i, 'period'],
      'payout period',
    ),
  );
  return out;
}

export function checkAgreement(a: AgreementDefinition): SemanticIssue[] {
  const out: SemanticIssue[] = [];
  out.push(...checkRange(a.effective, ['effective']));
  out.push(
    ...duplicates(
      a.parties,
      (p) => p.vendor,
      (i) => ['parties', i, 'vendor'],
      'party',
    ),
  );
  const parties = new Set(a.parties.map((p) => p.vendor));
  const programs = new Set(a.parties.flatMap((p) => p.programs));
  const partyList = [...parties].join(', ');
  const party = (vendor: string, path: IssuePath): void => {
    if (!parties.has(vendor))
      out.push({ path, message: `"${vendor}" is not a party; expected one of ${partyList}` });
  };
  if (a.signed > a.effective.from) {
    out.push({
      path: ['signed'],
      message: `signed ${a.signed} is after the agreement takes effect (${a.effective.from})`,
    });
  }
  if (a.effective.to !== null) {
    const expectedTo = addDays(addDuration(a.effective.from, a.term), -1);
    if (expectedTo !== a.effective.to) {
      out.push({
        path: ['effective', 'to'],
        message: `effective.to ${a.effective.to} does not match the term from ${a.effective.from}; expected ${expectedTo}`,
      });
    }
  }
  a.termination.events.forEach((e, i) => {
    party(e.by, ['termination', 'events', i, 'by']);
    if (i > 0)
      out.push({
        path: ['termination', 'events', i],
        message: 'notice is given once: an agreement records at most one termination',
      });
    if (e.date < a.effective.from || (a.effective.to !== null && e.date > a.effective.to)) {
      out.push({
        path: ['termination', 'events', i, 'date'],
        message: `termination ${e.date} is outside the agreement's term`,
      });
    }
    if (e.effective < e.date) {
      out.push({
        path: ['termination', 'events', i, 'effective'],
        message: `takes effect ${e.effective}, before notice ${e.date}`,
      });
    }
    const expected = addDays(e.date, a.termination.noticeDays);
    if (e.effective !== expected) {
      out.push({
        path: ['termination', 'events', i, 'effective'],
        message: `takes effect ${e.effective}; notice on ${e.date} plus ${a.termination.noticeDays} days' notice is ${expected}`,
      });
    }
    if (e.reason === 'convenience' && !a.termination.convenience.allowsTermination) {
      out.push({
        path: ['termination', 'events', i, 'reason'],
        message: 'terminated for convenience but termination.convenience.allowsTermination is false',
      });
    }
    if (e.reason === 'change-of-control' && !a.termination.changeOfControl.allowsTermination) {
      out.push({
        path: ['termination', 'events', i, 'reason'],
        message:
          'terminated for change of control but termination.changeOfControl.allowsTermination is false',
      });
    }
  });
  a.provisions.benefitContinuity.programs.forEach((code, i) => {
    if (!programs.has(code)) {
      out.push({
        path: ['provisions', 'benefitContinuity', 'programs', i],
        message: `program ${code} is not listed under any party's programs`,
      });
    }
  });
  a.provisions.crossCredit.forEach((c, i) => {
    party(c.from, ['provisions', 'crossCredit', i, 'from']);
    party(c.to, ['provisions', 'crossCredit', i, 'to']);
    if (c.from === c.to)
      out.push({
        path: ['provisions', 'crossCredit', i, 'to'],
        message: 'cross-credit between a vendor and itself',
      });
  });
  const bonus = a.provisions.crossVendorSolutionBonus;
  if (bonus !== null) {
    bonus.requires.forEach((r, i) =>
      party(r.vendor, ['provisions', 'crossVendorSolutionBonus', 'requires', i, 'vendor']),
    );
    out.push(
      ...duplicates(
        bonus.requires,
        (r) => r.vendor,
        (i) => ['provisions', 'crossVendorSolutionBonus', 'requires', i, 'vendor'],
        'required vendor',
      ),
    );
    bonus.funding.forEach((f, i) =>
      party(f.vendor, ['provisions', 'crossVendorSolutionBonus', 'funding', i, 'vendor']),
    );
    out.push(
      ...duplicates(
        bonus.funding,
        (f) => f.vendor,
        (i) => ['provisions', 'crossVendorSolutionBonus', 'funding', i, 'vendor'],
        'funding party',
      ),
    );
    const sum = bonus.funding.reduce((s, f) => s + f.basisPoints, 0);
    if (sum !== 10000)
      out.push({
        path: ['provisions', 'crossVendorSolutionBonus', 'funding'],
        message: `the funding split sums to ${sum} basis points; it must sum to exactly 10000`,
      });
    if (bonus.window.months === 0 && bonus.window.days === 0)
      out.push({
        path: ['provisions', 'crossVendorSolutionBonus', 'window'],
        message: 'the window must be at least one day',
      });
  }
  return out;
}

/**
 * The money limits (docs/limits.md): the most one line can earn under the program, every paying
 * component at its highest rate times every payout multiplier that may apply to it, is at most
 * MAX_PAYOUT_RATE_PPM, so every rate x amount product and ledger balance stays exact.
 */
function checkPayoutRate(p: ProgramDefinition): SemanticIssue[] {
  const multipliers = p.components.flatMap((c) => (c.kind === 'payout-multiplier' ? [c] : []));
  const paying = p.components.flatMap((c) => {
    if (c.kind === 'payout-multiplier') return [];
    const rates =
      c.kind === 'base-rebate'
        ? Object.values(c.rates).flatMap((byFamily) => Object.values(byFamily))
        : c.kind === 'growth-accelerator'
          ? c.thresholds.map((t) => t.points)
          : [c.points];
    const multipliedBy = multipliers
      .filter((m) => m.appliesTo === null || m.appliesTo.includes(c.code))
      .map((m) => m.factor);
    return [{ code: c.code, rates, multipliedBy }];
  });
  const out: SemanticIssue[] = [];
  const worst = worstPayoutRatePpm(paying);
  const shown = (ppm: bigint) =>
    ppm > 1_000_000_000_000n ? `${ppm / 10_000n}%` : formatPercent(Number(ppm));
  if (worst > BigInt(MAX_PAYOUT_RATE_PPM))
    out.push({
      path: ['components'],
      message: `one line could earn ${shown(worst)} of its amount (every component at its highest rate, with every payout multiplier that may apply); at most ${formatPercent(MAX_PAYOUT_RATE_PPM)} keeps every payout exact (docs/limits.md)`,
    });
  // Qualifying multipliers scale a partner's revenue for its tier: all of them together at most x10.
  const scale = worstPayoutRatePpm([
    { code: '', rates: [PPM_ONE], multipliedBy: p.qualifyingMultipliers.map((m) => m.factor) },
  ]);
  if (scale > BigInt(MAX_QUALIFYING_FACTOR_PPM))
    out.push({
      path: ['qualifyingMultipliers'],
      message: `the qualifying multipliers together could scale revenue by x${Number(scale) / PPM_ONE}; at most ${formatFactor(MAX_QUALIFYING_FACTOR_PPM)} keeps every tier sum exact (docs/limits.md)`,
    });
  return out;
}
