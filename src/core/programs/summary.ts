import type { Money } from '../money/money.js';
import { formatMoney } from '../money/money.js';
import { formatFactor, formatPercent } from '../money/rate.js';
import { formatCondition } from './conditions.js';
import { formatDuration } from './dates.js';
import type { CountRequirement, IncentiveComponent, QualificationPath, TrellisDocument } from './types.js';

/** Short money: "USD 3M", "USD 400K", else the full amount. */
function short(m: Money): string {
  const units = m.amountMinor / 100;
  if (Number.isInteger(units / 1_000_000) && units >= 1_000_000) return `${m.currency} ${units / 1_000_000}M`;
  if (units >= 1_000_000 && Number.isInteger(units / 100_000)) return `${m.currency} ${units / 1_000_000}M`;
  if (Number.isInteger(units / 1000) && units >= 1000) return `${m.currency} ${units / 1000}K`;
  return formatMoney(m);
}

function counts(list: readonly CountRequirement[], noun: string): string | null {
  if (list.length === 0) return null;
  return list
    .map(
      (r) =>
        `${r.count} ${[r.kind, r.family].filter(Boolean).join(' ')}${r.kind || r.family ? ' ' : ''}${noun}`,
    )
    .join(' + ');
}

function describePath(p: QualificationPath): string {
  const parts = [
    p.revenue && `revenue ${short(p.revenue)}`,
    p.servicesRevenue && `services ${short(p.servicesRevenue)}`,
    p.credits !== null && `${p.credits.toLocaleString('en-US')} credits`,
    counts(p.companyCertifications, 'company cert.'),
    counts(p.certifiedPeople, 'certified people'),
  ].filter((x): x is string => typeof x === 'string' && x.length > 0);
  return parts.join(', ');
}

function describeComponent(c: IncentiveComponent): string {
  switch (c.kind) {
    case 'base-rebate':
      return Object.entries(c.rates)
        .map(
          ([tier, rates]) =>
            `${tier} ${Object.entries(rates)
              .map(([f, r]) => `${f} ${formatPercent(r)}`)
              .join('/')}`,
        )
        .join('; ');
    case 'new-business':
      return `+${formatPercent(c.points)} on ${c.families.join(', ')} for new customers (look-back ${formatDuration(c.lookBack)})`;
    case 'services-attach':
      return `+${formatPercent(c.points)} on ${c.families.join(', ')} (${c.delivery})`;
    case 'cross-sell':
      return `+${formatPercent(c.points)} when a customer buys ${c.minFamilies}+ families${c.combinations.length ? ` (${c.combinations.map((x) => x.join('+')).join(' or ')})` : ''}`;
    case 'growth-accelerator':
      return (
        c.thresholds.map((t) => `+${formatPercent(t.points)} above ${formatPercent(t.above)}`).join(', ') +
        ` growth (${c.base})`
      );
    case 'payout-multiplier':
      return `${formatFactor(c.factor)} on ${c.appliesTo === null ? 'all components' : c.appliesTo.join(', ')}`;
    case 'mdf-accrual':
      return `${formatPercent(c.points)} earned MDF, expires after ${formatDuration(c.expiresAfter)}`;
    case 'deal-registration':
      return `+${formatPercent(c.points)} on ${c.families.length === 0 ? 'every family' : c.families.join(', ')} of registered deals`;
  }
}

/** A short human summary of a valid document, as the CLI prints it. */
export function summarizeProgram(doc: TrellisDocument): string {
  const lines: string[] = [];
  if (doc.kind === 'Agreement') {
    lines.push(`Agreement ${doc.code}: ${doc.name}`);
    lines.push(`  parties: ${doc.parties.map((p) => `${p.name} (${p.vendor}, ${p.role})`).join(', ')}`);
    lines.push(
      `  effective ${doc.effective.from} to ${doc.effective.to ?? 'open'} (term ${formatDuration(doc.term)}), notice ${doc.termination.noticeDays} days`,
    );
    for (const e of doc.termination.events)
      lines.push(`  terminated by ${e.by} on ${e.date} (${e.reason}), effective ${e.effective}`);
    const pr = doc.provisions;
    if (pr.benefitContinuity.enabled)
      lines.push(`  benefit continuity: ${pr.benefitContinuity.programs.join(', ')}`);
    for (const c of pr.crossCredit)
      lines.push(`  cross-credit: ${c.from} -> ${c.to} at ${formatPercent(c.share)}`);
    if (pr.crossVendorSolutionBonus) {
      const b = pr.crossVendorSolutionBonus;
      lines.push(
        `  cross-vendor solution bonus: +${formatPercent(b.points)} for ${b.requires.map((r) => `${r.vendor} ${r.families.join('/')}`).join(' + ')} within ${formatDuration(b.window)}, funded ${b.funding.map((f) => `${f.vendor} ${(f.basisPoints / 100).toFixed(2)}%`).join(' / ')}`,
      );
    }
    return lines.join('\n');
  }
  const p = doc;
  lines.push(`Program ${p.code} ${p.version}: ${p.name} (vendor ${p.vendor.name}, ${p.currency})`);
  lines.push(
    `  effective ${p.effective.from} to ${p.effective.to ?? 'open'}, ${p.periods}ly periods${p.supersedes.length ? `, supersedes ${p.supersedes.join(', ')}` : ''}`,
  );
  lines.push(
    `  zones: ${p.zones.map((z) => z.code).join(', ')}${p.defaultZone ? ` (default ${p.defaultZone})` : ''}`,
  );
  lines.push(`  tiers (lowest first):`);
  for (const t of p.tiers) {
    if (t.requirements.length === 0) {
      lines.push(`    ${t.name} (${t.code}): no requirements`);
      continue;
    }
    lines.push(`    ${t.name} (${t.code}):`);
    for (const r of t.requirements) {
      r.paths.forEach((path, i) => {
        lines.push(`      ${r.zones.join(', ')} ${path.name ?? `path ${i + 1}`}: ${describePath(path)}`);
      });
    }
  }
  for (const s of p.statuses) {
    lines.push(
      `  status ${s.name} (${s.code}): from ${s.baseTier}, ${formatDuration(s.duration)}${s.invitationOnly ? ', invitation only' : ''}${s.requiresExecutiveSponsor ? ', executive sponsor' : ''}${s.maxGrants !== null ? `, max ${s.maxGrants}` : ''}`,
    );
  }
  for (const m of p.qualifyingMultipliers) {
    lines.push(
      `  qualifying multiplier ${m.code}: ${formatFactor(m.factor)} on ${m.scope.join(', ')}${m.condition ? ` when ${formatCondition(m.condition)}` : ''}`,
    );
  }
  lines.push(`  components (stacking order):`);
  for (const c of [...p.components].sort((a, b) => a.priority - b.priority)) {
    lines.push(
      `    ${c.priority} ${c.code} [${c.kind}, ${c.settlement}]: ${describeComponent(c)}${c.condition ? ` when ${formatCondition(c.condition)}` : ''}`,
    );
  }
  for (const b of p.budgetPools)
    lines.push(`  budget pool ${b.code}: ${short(b.amount)} (${b.onExhausted} when exhausted)`);
  if (p.marketingFunds) {
    const m = p.marketingFunds;
    lines.push(`  marketing funds: claims within ${formatDuration(m.claimWithin)} of an activity's end`);
    for (const t of m.activityTypes)
      lines.push(
        `    activity ${t.code}: ${t.name}${t.proof.length ? ` (proof: ${t.proof.join(', ')})` : ''}`,
      );
    for (const f of m.proposalFunds)
      lines.push(
        `    proposal fund ${f.code}: ${short(f.amount)} a ${f.per}${f.zones.length ? ` for ${f.zones.join(', ')}` : ''}`,
      );
  }
  if (p.exchange) {
    const x = p.exchange;
    const missing =
      x.missingRate.policy === 'refuse'
        ? 'a day without a rate is refused'
        : `a day without a rate takes the last known of the ${x.missingRate.withinDays} days before`;
    lines.push(`  currencies: orders convert to ${p.currency} at their day's rate; ${missing}`);
    for (const r of x.orderCurrencies)
      lines.push(
        `    orders in ${r.currencies.join(', ')} from ${[...r.zones.map((z) => `zone ${z}`), ...r.countries].join(', ')}`,
      );
    if (x.payoutCurrencies.length > 0)
      lines.push(
        `    paid in ${[p.payouts.currency, ...x.payoutCurrencies].join(', ')} at the ${x.payoutRate === 'payout-day' ? "payout day's rate" : "period's average rate"}`,
      );
  }
  return lines.join('\n');
}
