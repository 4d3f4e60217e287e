import { createHash } from 'node:crypto';
import type { IncentiveEngine } from '../../core/incentives/index.js';
import {
  accrualRule,
  ledgerRuleKey,
  type LedgerRule,
  type RuleApplication,
} from '../../core/ledger/postings.js';
import { componentAccounts } from '../../core/ledger/settlement.js';
import {
  pushLedgerPosting,
  type LedgerBatch,
  type NewLedgerRule,
} from '../../db/repositories/order-intake-repository.js';

/** Rule ids by canonical key: a hash is computed once per distinct rule a process sees. */
const ids = new Map<string, string>();
const MAX_MEMO = 100_000;

/** The store's id of a ledger rule: `lrl_` and a hash of its canonical key (content-addressed). */
export function ledgerRuleId(rule: LedgerRule): string {
  const key = ledgerRuleKey(rule);
  let id = ids.get(key);
  if (id === undefined) {
    id = `lrl_${createHash('sha256').update(key).digest('base64url').slice(0, 32)}`;
    if (ids.size >= MAX_MEMO) ids.clear();
    ids.set(key, id);
  }
  return id;
}

/** Components of an engine, by code (a rule keeps the name its version gave the component). */
const infos = new WeakMap<IncentiveEngine, Map<string, { name: string; kind: string }>>();
function infoOf(engine: IncentiveEngine, component: string): { name: string; kind: string } | undefined {
  let m = infos.get(engine);
  if (!m) {
    m = new Map(engine.components.map((c) => [c.code, { name: c.name, kind: c.kind }]));
    infos.set(engine, m);
  }
  return m.get(component);
}
function nameOf(engine: IncentiveEngine, component: string): string {
  return infoOf(engine, component)?.name ?? component;
}

/**
 * The accounts a close item of the component moves between (earned MDF: the MDF expense and fund; a
 * component the engine no longer knows: the rebate accounts).
 */
export function closeItemAccounts(engine: IncentiveEngine, component: string) {
  return componentAccounts(infoOf(engine, component)?.kind ?? '');
}

/**
 * Adds one posting of an accrual rule application to a batch (and its rule, once): debit the vendor's
 * incentive expense, credit the partner's payable, `amountMinor`.
 */
export function postRule(
  batch: LedgerBatch,
  engine: IncentiveEngine,
  where: { vendorId: string; programId: string; currency: string },
  posting: {
    transactionId: string;
    seq: number;
    lineId: string | null;
    baseMinor: number;
    amountMinor: number;
    dueMinor: number | null;
  },
  application: RuleApplication,
): void {
  // Lines that apply the same rule share one application object: its rule is built and hashed once (a
  // caller posting many lines passes the same `where` object: its key is not built again for each).
  let known = byApplication.get(application);
  if (!known || (known.where !== where && known.whereKey !== whereKeyOf(where))) {
    const rule = accrualRule(application, { ...where, name: nameOf(engine, application.component) });
    known = { where, whereKey: whereKeyOf(where), row: { id: ledgerRuleId(rule), ...rule } };
    byApplication.set(application, known);
  }
  if (!batch.rules.has(known.row.id)) batch.rules.set(known.row.id, known.row);
  pushLedgerPosting(batch.postings, {
    transactionId: posting.transactionId,
    vendorId: where.vendorId,
    seq: posting.seq,
    rule: known.row.id,
    lineId: posting.lineId,
    baseMinor: posting.baseMinor,
    amountMinor: posting.amountMinor,
    dueMinor: posting.dueMinor,
  });
}

const whereKeyOf = (where: { vendorId: string; programId: string; currency: string }) =>
  `${where.vendorId}|${where.programId}|${where.currency}`;

const byApplication = new WeakMap<RuleApplication, { where: object; whereKey: string; row: NewLedgerRule }>();
