import type { Kysely } from 'kysely';
import type { Actor } from '../../core/access/actor.js';
import type { Scope } from '../../core/access/scope.js';
import {
  ACTIVE_STATUSES,
  effectiveStatus,
  transition,
  type DealAction,
  type DealStatus,
} from '../../core/deals/lifecycle.js';
import {
  canRequestExtension,
  protectionEndsOn,
  registrationMinimumCheck,
  reviewDueAt,
} from '../../core/deals/policy.js';
import { rejectionReasonsOf } from '../../core/deals/reasons.js';
import {
  checkRegistration,
  type CheckedRegistration,
  type RegistrationInput,
} from '../../core/deals/registration-input.js';
import { addDuration } from '../../core/programs/dates.js';
import type { DealRegistrationPolicy, NewBusinessComponent } from '../../core/programs/types.js';
import { lookBackFrom } from '../incentives/post-accruals.js';
import { zoneOf } from '../../core/programs/zones.js';
import { notFound, TrellisError, type ErrorDetail } from '../../core/shared/errors.js';
import { dealRepository, type DealRow } from '../../db/repositories/deal-repository.js';
import { dealSupportRepository } from '../../db/repositories/deal-support-repository.js';
import type { Database } from '../../db/schema.js';
import { losingRaceIsConflict } from '../concurrency.js';
import type { AppContext } from '../context.js';
import { programInForce, type ProgramInForce } from '../programs/program-in-force.js';
import { flagUnsoldRegistrations } from './abuse.js';
import { findCandidates, type DealCandidate } from './deal-index.js';
import type { PartyInput } from '../../core/matching/index.js';
import { day, message, renderEnglish } from '../../core/messages/message.js';
import { actorIdOf, recordDealStep, sideOf, type DealActor } from './deal-events.js';
import { partnerDealView, vendorDealView } from './deal-views.js';

export interface CreateDealInput extends RegistrationInput {
  programId: string;
  /** Submit at once (default) or keep as a draft. */
  submit?: boolean | undefined;
  /** The partner's own reference (CRM opportunity id): one registration per reference. */
  externalRef?: string | null | undefined;
  requestId?: string | null | undefined;
}

/** What a submission answered. `conflict`: an earlier registration or a direct account covers the customer. */
export type SubmitOutcome = 'draft' | 'submitted' | 'conflict';

const COVERED_TEXT: Record<string, string> = {
  'duplicate-registration':
    'An earlier registration covers this customer for these product families; it keeps its protection (first to register).',
  'direct-account': "This customer is one of the vendor's directly served accounts.",
};

function today(ctx: AppContext): string {
  return ctx.clock.now().toISOString().slice(0, 10);
}

function dealView(
  ctx: AppContext,
  scope: Scope,
  d: DealRow,
  lines: Awaited<ReturnType<ReturnType<typeof dealRepository>['lines']>>,
) {
  return scope.kind === 'partner'
    ? partnerDealView(d, lines, ctx.clock.now())
    : vendorDealView(d, lines, ctx.clock.now());
}

/** Whether a partner's caller may read a registration of its own company owned by `ownerPersonId`. */
export function seesOwn(scope: Scope, ownerPersonId: string | null): boolean {
  return scope.kind !== 'partner' || !scope.ownerPersonId || scope.ownerPersonId === ownerPersonId;
}

function partnerOf(scope: Scope): string {
  if (scope.kind !== 'partner')
    throw new TrellisError('forbidden', 'partners register deals; vendors review them');
  return scope.partnerId;
}

async function loadProgram(ctx: AppContext, scope: Scope, programId: string): Promise<ProgramInForce> {
  // The policy of the version in force today, or of the latest published version when none is (a past
  // program year, such as the demo's): registrations are always made today.
  return programInForce(ctx, scope, programId, undefined, 'programId');
}

/** The checks of a registration against its program: enrolment, zone, families the vendor sells, minimums. */
async function checkAgainstProgram(
  trx: Kysely<Database>,
  program: ProgramInForce,
  partnerId: string,
  reg: CheckedRegistration,
  where: string,
): Promise<ErrorDetail[]> {
  const errors: ErrorDetail[] = [];
  const problems = await enrolmentProblems(trx, program, partnerId, reg.customer.country, where);
  if (problems.length > 0) return problems;
  const def = program.definition;
  const support = dealSupportRepository(trx);
  const sold = new Set(await support.vendorFamilies(program.vendorId));
  // A line may name one of the vendor's products, of the line's family (no other vendor's, none unknown).
  const productIds = [...new Set(reg.lines.flatMap((l) => (l.productId ? [l.productId] : [])))];
  const products = new Map(
    productIds.length === 0
      ? []
      : (await support.vendorProducts(program.vendorId, productIds)).map((p) => [p.id, p.family]),
  );
  reg.lines.forEach((l, i) => {
    if (!sold.has(l.family))
      errors.push({
        location: `${where}.lines/${i}/family`,
        message: `the vendor sells no ${l.family} products`,
      });
    if (l.productId && !products.has(l.productId))
      errors.push({
        location: `${where}.lines/${i}/productId`,
        message: `${l.productId} is not a product of this vendor`,
      });
    else if (l.productId && products.get(l.productId) !== l.family)
      errors.push({
        location: `${where}.lines/${i}/productId`,
        message: `${l.productId} is a ${products.get(l.productId)} product, not ${l.family}`,
      });
  });
  for (const p of registrationMinimumCheck(def.dealRegistration, {
    region: reg.customer.region,
    segment: reg.customer.segment,
    lines: reg.lines.map((l) => ({
      family: l.family,
      amount: { amountMinor: l.amountMinor, currency: def.currency },
    })),
  })) {
    const i = p.family === null ? -1 : reg.lines.findIndex((l) => l.family === p.family);
    errors.push({
      location: i < 0 ? `${where}.lines` : `${where}.lines/${i}/amountMinor`,
      message: p.message,
    });
  }
  return errors;
}

/** The rows of a registration's lines, numbered from 1 in the order given. */
function lineRows(
  ctx: AppContext,
  d: Pick<DealRow, 'id' | 'vendorId' | 'currency'>,
  reg: CheckedRegistration,
) {
  return reg.lines.map((l, i) => ({
    id: ctx.ids.next('dealLine'),
    registrationId: d.id,
    vendorId: d.vendorId,
    lineNo: i + 1,
    family: l.family,
    productId: l.productId,
    quantity: l.quantity,
    amountMinor: l.amountMinor,
    currency: d.currency,
    description: l.description,
  }));
}

/**
 * The program of a registration in scope, read before its transaction (on SQLite a read outside the
 * transaction would wait for it).
 */
async function programOfDeal(ctx: AppContext, scope: Scope, id: string): Promise<ProgramInForce> {
  const d = await dealRepository(ctx.store.db).get(scope, id);
  if (!d) throw notFound('deal registration', id);
  return loadProgram(ctx, scope, d.programId);
}

/**
 * Whether a partner may register a customer of `country` with a program: it is an active member, and the
 * customer is in the partner's own zone of the program (docs/deal-registration.md). The submission and
 * the live hint both ask it.
 */
export async function enrolmentProblems(
  db: Kysely<Database>,
  program: ProgramInForce,
  partnerId: string,
  country: string,
  where: string,
): Promise<ErrorDetail[]> {
  const enrolment = await dealSupportRepository(db).enrolmentWithCountry(program.programId, partnerId);
  if (!enrolment || enrolment.status !== 'active')
    return [
      {
        location: `${where}.programId`,
        message: `your company is not an active member of ${program.definition.code}`,
      },
    ];
  const def = program.definition;
  const customerZone = zoneOf(def, country);
  const partnerZone = zoneOf(def, enrolment.country);
  if (customerZone === null)
    return [{ location: `${where}.customer.country`, message: `${country} is in no zone of ${def.code}` }];
  if (customerZone !== partnerZone)
    return [
      {
        location: `${where}.customer.country`,
        message: `${country} is in zone ${customerZone}; your enrolment covers zone ${partnerZone ?? 'none'}`,
      },
    ];
  return [];
}

function checked(
  input: RegistrationInput,
  program: ProgramInForce,
  day: string,
  where = 'body',
): CheckedRegistration {
  const r = checkRegistration(input, { programCurrency: program.definition.currency, today: day, where });
  if (!r.ok) throw new TrellisError('invalid_input', 'the registration has problems', r.errors);
  return r.value;
}

/** A partner registers an opportunity (as a draft, or submitted at once). */
export async function createDeal(
  ctx: AppContext,
  who: { actor: Actor; scope: Scope },
  input: CreateDealInput,
) {
  partnerOf(who.scope);
  const program = await loadProgram(ctx, who.scope, input.programId);
  checked(input, program, today(ctx));
  return losingRaceIsConflict('this registration', () =>
    ctx.store.db.transaction().execute((trx) => createDealWithin(trx, ctx, who, input, program)),
  );
}

/**
 * `createDeal` within the caller's transaction, for a program the caller loaded (with `programInForce`,
 * as `createDeal` does): the CSV import registers a whole file in one transaction, in file order, so a
 * file is all or nothing and first-to-register holds inside it. Problems are located under `where`.
 */
export async function createDealWithin(
  trx: Kysely<Database>,
  ctx: AppContext,
  who: { actor: DealActor; scope: Scope },
  input: CreateDealInput,
  program: ProgramInForce,
  where = 'body',
): Promise<{ outcome: SubmitOutcome; deal: ReturnType<typeof dealView> }> {
  const partnerId = partnerOf(who.scope);
  const reg = checked(input, program, today(ctx), where);
  const problems = await checkAgainstProgram(trx, program, partnerId, reg, where);
  if (problems.length > 0)
    throw new TrellisError('invalid_input', 'the registration does not fit the program', problems);
  const repo = dealRepository(trx);
  const externalRef = input.externalRef?.trim() || null;
  if (externalRef) {
    const existing = await repo.getByExternalRef(program.vendorId, partnerId, externalRef);
    if (existing) {
      // A sales rep reads only the registrations it owns: a colleague's is not named to it.
      const as = seesOwn(who.scope, existing.ownerPersonId) ? ` as ${existing.id}` : '';
      throw new TrellisError('conflict', `your reference ${externalRef} is already registered${as}`, [
        { location: `${where}.externalRef`, message: `already registered${as}` },
      ]);
    }
  }
  const now = ctx.clock.now().toISOString();
  const id = ctx.ids.next('deal');
  const row: DealRow = {
    id,
    vendorId: program.vendorId,
    programId: program.programId,
    partnerId,
    ownerPersonId: who.actor.kind === 'person' ? who.actor.personId : null,
    status: 'draft',
    customerName: reg.customer.name,
    customerDomain: reg.customer.domain,
    customerAddressLine: reg.customer.addressLine,
    customerCity: reg.customer.city,
    customerPostalCode: reg.customer.postalCode,
    customerCountry: reg.customer.country,
    customerRegion: reg.customer.region,
    customerSegment: reg.customer.segment,
    customerId: null,
    claimKey: null,
    currency: program.definition.currency,
    totalMinor: reg.totalMinor,
    expectedCloseDate: input.expectedCloseDate,
    description: input.description.trim(),
    externalRef,
    submittedAt: null,
    reviewDueAt: null,
    slaBreachedAt: null,
    escalated: 0,
    decidedBy: null,
    decidedAt: null,
    approvedOn: null,
    protectedUntil: null,
    extensionsGranted: 0,
    extensionRequestedAt: null,
    extensionReason: null,
    reasonCode: null,
    reasonText: null,
    wonOrderId: null,
    closedAt: null,
    sequence: null,
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
  await repo.insert(row, lineRows(ctx, row, reg));
  await recordDealStep(trx, ctx, {
    actor: who.actor,
    deal: row,
    action: 'create',
    from: null,
    to: 'draft',
    after: row,
    requestId: input.requestId,
  });
  if (input.submit === false)
    return {
      outcome: 'draft' as SubmitOutcome,
      deal: dealView(ctx, who.scope, row, await repo.lines(id)),
    };
  const result = await submitWithin(trx, ctx, who, row, program);
  return { outcome: result.outcome, deal: dealView(ctx, who.scope, result.deal, await repo.lines(id)) };
}

/** A partner edits a draft, or one the vendor sent back for more information. */
export async function editDeal(
  ctx: AppContext,
  who: { actor: Actor; scope: Scope },
  id: string,
  input: RegistrationInput & { requestId?: string | null | undefined },
) {
  partnerOf(who.scope);
  const program = await programOfDeal(ctx, who.scope, id);
  return losingRaceIsConflict(`registration ${id}`, () =>
    ctx.store.db.transaction().execute(async (trx) => {
      const repo = dealRepository(trx);
      const d = await repo.get(who.scope, id);
      if (!d) throw notFound('deal registration', id);
      const t = transition(d.status as DealStatus, 'edit', 'partner');
      if (!t.ok) throw new TrellisError('conflict', t.reason);
      const reg = checked(input, program, today(ctx));
      const problems = await checkAgainstProgram(trx, program, d.partnerId, reg, 'body');
      if (problems.length > 0)
        throw new TrellisError('invalid_input', 'the registration does not fit the program', problems);
      const patch = {
        customerName: reg.customer.name,
        customerDomain: reg.customer.domain,
        customerAddressLine: reg.customer.addressLine,
        customerCity: reg.customer.city,
        customerPostalCode: reg.customer.postalCode,
        customerCountry: reg.customer.country,
        customerRegion: reg.customer.region,
        customerSegment: reg.customer.segment,
        totalMinor: reg.totalMinor,
        expectedCloseDate: input.expectedCloseDate,
        description: input.description.trim(),
        updatedAt: ctx.clock.now().toISOString(),
      };
      if (!(await repo.update(d.id, d.version, [d.status], patch)))
        throw new TrellisError(
          'conflict',
          `registration ${d.id} was changed by another request; read it again`,
        );
      await repo.replaceLines(d.id, lineRows(ctx, d, reg));
      const after = { ...d, ...patch, version: d.version + 1 };
      await recordDealStep(trx, ctx, {
        actor: who.actor,
        deal: d,
        action: 'edit',
        from: d.status as DealStatus,
        to: d.status as DealStatus,
        after,
        requestId: input.requestId,
      });
      return dealView(ctx, who.scope, after, await repo.lines(d.id));
    }),
  );
}

/** A partner submits a draft (or re-submits one sent back for more information). */
export async function submitDeal(
  ctx: AppContext,
  who: { actor: Actor; scope: Scope },
  id: string,
  requestId?: string | null,
) {
  partnerOf(who.scope);
  const program = await programOfDeal(ctx, who.scope, id);
  return losingRaceIsConflict(`registration ${id}`, () =>
    ctx.store.db.transaction().execute(async (trx) => {
      const repo = dealRepository(trx);
      const d = await repo.get(who.scope, id);
      if (!d) throw notFound('deal registration', id);
      const t = transition(d.status as DealStatus, 'submit', 'partner');
      if (!t.ok) throw new TrellisError('conflict', t.reason);
      if (d.expectedCloseDate < today(ctx))
        throw new TrellisError('invalid_input', 'the expected close date has passed', [
          {
            location: 'expectedCloseDate',
            message: `${d.expectedCloseDate} is in the past; edit the registration first`,
          },
        ]);
      const result = await submitWithin(trx, ctx, who, d, program, requestId);
      return { outcome: result.outcome, deal: dealView(ctx, who.scope, result.deal, await repo.lines(d.id)) };
    }),
  );
}

function policyOf(program: ProgramInForce): DealRegistrationPolicy {
  return program.definition.dealRegistration;
}

/**
 * The submission: counted against the partner's daily conflict checks, serialised per vendor, searched
 * for conflicts, and claimed. Within the caller's transaction.
 */
async function submitWithin(
  trx: Kysely<Database>,
  ctx: AppContext,
  who: { actor: DealActor; scope: Scope },
  d: DealRow,
  program: ProgramInForce,
  requestId?: string | null,
): Promise<{ outcome: SubmitOutcome; deal: DealRow }> {
  const repo = dealRepository(trx);
  const policy = policyOf(program);
  const now = ctx.clock.now();
  const nowIso = now.toISOString();
  await countConflictCheck(trx, ctx, d.vendorId, d.partnerId, policy);
  // Every submission of the vendor waits here for the one before it to commit (see deal_sequences).
  const sequence = await repo.nextSequence(d.vendorId);
  const lines = await repo.lines(d.id);
  const families = [...new Set(lines.map((l) => l.family))];
  const found = await assessConflicts(ctx, trx, program, {
    registrationId: d.id,
    partnerId: d.partnerId,
    region: d.customerRegion,
    families,
    party: {
      name: d.customerName,
      domain: d.customerDomain,
      country: d.customerCountry,
      addressLine: d.customerAddressLine,
      city: d.customerCity,
      postalCode: d.customerPostalCode,
    },
  });
  if (found.own) {
    // A sales rep reads only the registrations it owns: a colleague's is not named to it.
    const own = seesOwn(who.scope, found.own.ownerPersonId) ? found.own.id : null;
    throw new TrellisError(
      'conflict',
      `your company already registered this customer${own ? ` as ${own}` : ''}`,
      [
        {
          location: 'customer.name',
          message: own
            ? `your registration ${own} covers this customer and these families`
            : 'a registration of your company covers this customer and these families',
        },
      ],
    );
  }
  const scope = new Set(policy.conflictScope);
  const relevant = found.relevant;
  let blocking = found.blocking;
  const customerId = found.customerId;
  if (customerId && policy.netNewOnly) {
    // Not net-new is evidence for the reviewer, not an automatic rejection (the match may be wrong).
    const notNew = await lastPurchase(trx, d.vendorId, customerId, families, program);
    const c = relevant.find((x) => x.kind === 'customer' && x.id === customerId);
    if (notNew && c) {
      const detailMessage = message('matching.notNetNew', {
        family: notNew.family,
        orderDate: day(notNew.orderDate),
        orderId: notNew.orderId,
        since: day(notNew.since),
      });
      c.evidence = [
        ...c.evidence,
        { field: 'net-new', score: 1, detail: renderEnglish(detailMessage), detailMessage },
      ];
    }
  }
  // The key an earlier active registration of this customer holds, else the customer's, else its own.
  const claimKey = found.claimKey ?? customerId ?? d.id;
  const region = scope.has('region') ? d.customerRegion : '*';
  const claimFamilies = scope.has('family') ? families : ['*'];
  // The database decides a race the serialisation above did not: one active claim per customer key,
  // family and region (deal_claims_active_ux).
  // A resubmission (after more information was asked for) gives up its earlier claims: the edit may have
  // changed the customer or its families, they would refuse the same key (registration, family) again,
  // and a resubmission answered "conflict" must hold nothing.
  if (d.status !== 'draft') await dealSupportRepository(trx).deleteClaims(d.id);
  if (!blocking) {
    const claimed = await repo.claim(
      claimFamilies.map((family) => ({
        registrationId: d.id,
        vendorId: d.vendorId,
        claimKey,
        family,
        region,
        createdAt: nowIso,
      })),
    );
    if (!claimed) {
      blocking = { reason: 'duplicate-registration' };
      const holders = await repo.claimsOn(d.vendorId, claimKey);
      for (const h of holders)
        if (!relevant.some((c) => c.id === h.registrationId)) {
          const detailMessage = message('matching.holdsClaim', {
            claimKey,
            family: h.family,
            region: h.region,
          });
          relevant.push({
            kind: 'registration',
            id: h.registrationId,
            score: 1,
            decision: 'match',
            evidence: [{ field: 'customer', score: 1, detail: renderEnglish(detailMessage), detailMessage }],
          });
        }
    }
  }
  const to: DealStatus = blocking ? 'rejected' : 'submitted';
  const patch = {
    status: to,
    sequence,
    submittedAt: nowIso,
    reviewDueAt: blocking ? null : reviewDueAt(policy, d.customerRegion as never, now).toISOString(),
    customerId,
    claimKey: blocking ? null : claimKey,
    reasonCode: blocking?.reason ?? null,
    reasonText: blocking ? (COVERED_TEXT[blocking.reason] ?? null) : null,
    decidedBy: blocking ? 'system' : null,
    decidedAt: blocking ? nowIso : null,
    slaBreachedAt: null,
    escalated: 0,
    updatedAt: nowIso,
  };
  if (!(await repo.update(d.id, d.version, [d.status], patch)))
    throw new TrellisError('conflict', `registration ${d.id} was changed by another request; read it again`);
  await repo.insertConflicts(
    relevant.map((c) => ({
      id: ctx.ids.next('dealConflict'),
      vendorId: d.vendorId,
      registrationId: d.id,
      otherKind: c.kind,
      otherId: c.id,
      score: c.score,
      decision: c.decision,
      evidence: JSON.stringify(c.evidence),
      status: blocking && c.decision === 'match' ? 'confirmed' : 'open',
      resolvedBy: blocking && c.decision === 'match' ? 'system' : null,
      resolvedAt: blocking && c.decision === 'match' ? nowIso : null,
      createdAt: nowIso,
    })),
  );
  const after: DealRow = { ...d, ...patch, version: d.version + 1 };
  // The partner's history says what the partner may know; the vendor's audit keeps the evidence count.
  await recordDealStep(trx, ctx, {
    actor: who.actor,
    deal: d,
    action: 'submit',
    from: d.status as DealStatus,
    to: 'submitted',
    after,
    requestId,
    detail: { sequence, candidates: relevant.length },
  });
  if (blocking)
    await recordDealStep(trx, ctx, {
      actor: { kind: 'system', id: 'deal-registration' },
      deal: { ...d, status: 'submitted' },
      action: 'reject',
      from: 'submitted',
      to: 'rejected',
      reasonCode: blocking.reason,
      note: COVERED_TEXT[blocking.reason] ?? null,
      after,
      requestId,
    });
  else await flagUnsoldRegistrations(trx, ctx, after, policy);
  return { outcome: blocking ? 'conflict' : 'submitted', deal: after };
}

export interface ConflictSubject {
  /** The registration being submitted (left out of its own search), if it exists yet. */
  registrationId?: string;
  partnerId: string;
  region: string;
  /** Its product families; null = any (the live hint knows no families yet). */
  families: readonly string[] | null;
  party: PartyInput;
}

export interface ConflictAssessment {
  /** What the reviewer will see: the active registrations in scope, direct accounts and customers found. */
  relevant: DealCandidate[];
  /** Set when the submission must be answered "conflict" at once (a high-confidence match). */
  blocking: { reason: 'duplicate-registration' | 'direct-account' } | null;
  /** The partner's own active registration of this customer (a duplicate submission), if any. */
  own: { id: string; ownerPersonId: string | null } | null;
  /** The claim key an active registration of this customer holds, if one matched. */
  claimKey: string | null;
  /** The vendor's customer the end customer resolved to (a `match`), if any. */
  customerId: string | null;
}

/**
 * The conflict check (docs/deal-registration.md): the matcher's candidates among the vendor's
 * registrations, direct-named accounts and customers, the registrations' states read from the store, and
 * the program's conflict scope (customer, overlapping family, region) applied. The submission and the live
 * hint both ask it; `npm run bench -- dealcheck` times it.
 */
export async function assessConflicts(
  ctx: AppContext,
  db: Kysely<Database>,
  program: ProgramInForce,
  subject: ConflictSubject,
): Promise<ConflictAssessment> {
  const repo = dealRepository(db);
  const scope = new Set(program.definition.dealRegistration.conflictScope);
  const today = ctx.clock.now().toISOString().slice(0, 10);
  const candidates = await findCandidates(ctx, db, program, subject.party, {
    ...(subject.registrationId ? { excludeRegistrationId: subject.registrationId } : {}),
  });
  const out: ConflictAssessment = {
    relevant: [],
    blocking: null,
    own: null,
    claimKey: null,
    customerId: null,
  };
  if (candidates.registrations.length > 0) {
    // The states findCandidates read from the store for this search (no second read).
    const states = candidates.states;
    const fams =
      subject.families && scope.has('family') ? await repo.familiesOf(states.map((s) => s.id)) : [];
    const byId = new Map(states.map((s) => [s.id, s]));
    for (const c of candidates.registrations) {
      const s = byId.get(c.id);
      if (!s || !(ACTIVE_STATUSES as readonly string[]).includes(s.status)) continue;
      if (effectiveStatus(s.status as DealStatus, s.protectedUntil, today) === 'expired') continue;
      if (scope.has('region') && s.customerRegion !== subject.region) continue;
      if (subject.families && scope.has('family')) {
        const theirs = new Set(fams.filter((f) => f.registrationId === s.id).map((f) => f.family));
        if (!subject.families.some((f) => theirs.has(f))) continue;
      }
      if (s.partnerId === subject.partnerId) {
        if (c.decision === 'match' && out.own === null)
          out.own = { id: s.id, ownerPersonId: s.ownerPersonId };
        continue;
      }
      out.relevant.push(c);
      if (c.decision === 'match' && !out.blocking) out.blocking = { reason: 'duplicate-registration' };
      if (c.decision === 'match' && out.claimKey === null) out.claimKey = s.claimKey;
    }
  }
  for (const c of candidates.namedAccounts) {
    out.relevant.push(c);
    if (c.decision === 'match' && !out.blocking) out.blocking = { reason: 'direct-account' };
  }
  for (const c of candidates.customers) {
    out.relevant.push(c);
    if (c.decision === 'match' && out.customerId === null) out.customerId = c.id;
  }
  return out;
}

/** A partner's daily budget of conflict checks with a vendor (submissions and live hints): counts one, or refuses. */
export async function countConflictCheck(
  trx: Kysely<Database>,
  ctx: AppContext,
  vendorId: string,
  partnerId: string,
  policy: DealRegistrationPolicy,
): Promise<{ checksLeftToday: number }> {
  const limit = policy.conflictChecks.perPartnerPerDay;
  const now = ctx.clock.now();
  const n = await dealRepository(trx).countCheck(vendorId, partnerId, now.toISOString().slice(0, 10), limit);
  if (n === null) {
    const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
    throw new TrellisError(
      'rate_limited',
      `your company ran its ${limit} conflict checks for today with this vendor; try again tomorrow (UTC)`,
      [],
      { retryAfterSeconds: Math.max(1, Math.ceil((midnight - now.getTime()) / 1000)) },
    );
  }
  return { checksLeftToday: Math.max(0, limit - n) };
}

/**
 * Net-new (docs: src/core/deals/README.md): the customer bought none of the registered families from the
 * vendor, through any channel, within the program's new-business look-back (12 months when the program
 * has no new-business component) before today. Returns the latest such purchase, or null.
 */
async function lastPurchase(
  trx: Kysely<Database>,
  vendorId: string,
  customerId: string,
  families: readonly string[],
  program: ProgramInForce,
) {
  const nb = program.definition.components.find((c): c is NewBusinessComponent => c.kind === 'new-business');
  const asOf = program.asOf;
  const since = nb ? lookBackFrom(nb, asOf) : addDuration(asOf, { months: -12, days: 0 });
  // Through the customer's orders (indexed by vendor, customer and date), then their lines: order lines
  // have no customer index, and scanning the vendor's year of lines costs a second at a million.
  const row = await dealSupportRepository(trx).lastPurchase(vendorId, customerId, families, since, asOf);
  return row ? { ...row, since } : null;
}

export interface ReviewInput {
  action:
    'start-review' | 'request-info' | 'approve' | 'reject' | 'grant-extension' | 'refuse-extension' | 'lose';
  reasonCode?: string | undefined;
  text?: string | undefined;
  requestId?: string | null | undefined;
}

/** The vendor reviews: take into review, ask for more, approve (protection starts), reject with a reason, extend. */
export async function reviewDeal(
  ctx: AppContext,
  who: { actor: DealActor; scope: Scope },
  id: string,
  input: ReviewInput,
) {
  if (who.scope.kind === 'partner') throw new TrellisError('forbidden', 'the vendor reviews registrations');
  return changeDeal(
    ctx,
    who,
    id,
    input.action,
    async (d, program, trx) => {
      const policy = policyOf(program);
      const nowIso = ctx.clock.now().toISOString();
      const day = nowIso.slice(0, 10);
      const text = input.text?.trim() ?? '';
      const decided = { decidedBy: actorIdOf(who.actor), decidedAt: nowIso };
      switch (input.action) {
        case 'start-review':
          return { patch: {} };
        case 'request-info':
          if (!text) throw required('text', 'say what information is missing');
          return { patch: {}, note: text };
        case 'approve':
          await dealRepository(trx).resolveConflicts(d.id, 'dismissed', actorIdOf(who.actor), nowIso);
          return {
            patch: { ...decided, approvedOn: day, protectedUntil: protectionEndsOn(policy, day, 0) },
            note: text || null,
          };
        case 'reject': {
          const code = reasonCodeOf(program, input.reasonCode);
          if (!text) throw required('text', 'explain the rejection to the partner');
          if (code === 'duplicate-registration')
            await dealRepository(trx).resolveConflicts(d.id, 'confirmed', actorIdOf(who.actor), nowIso);
          return {
            patch: { ...decided, reasonCode: code, reasonText: text },
            note: text,
            reasonCode: code,
            release: true,
          };
        }
        case 'grant-extension': {
          if (policy.extensions.onRequest && !d.extensionRequestedAt)
            throw new TrellisError('conflict', `registration ${d.id} has no extension request to grant`);
          if (d.extensionsGranted >= policy.extensions.maxCount)
            throw new TrellisError(
              'conflict',
              `registration ${d.id} already had its ${policy.extensions.maxCount} extension(s)`,
            );
          const granted = d.extensionsGranted + 1;
          if (!d.approvedOn) throw new TrellisError('conflict', `registration ${d.id} was never approved`);
          return {
            patch: {
              extensionsGranted: granted,
              extensionRequestedAt: null,
              extensionReason: null,
              protectedUntil: protectionEndsOn(policy, d.approvedOn, granted),
            },
            note: text || `protected ${policy.extensions.days} more days`,
          };
        }
        case 'refuse-extension': {
          if (!d.extensionRequestedAt)
            throw new TrellisError('conflict', `registration ${d.id} has no extension request`);
          const code = reasonCodeOf(program, input.reasonCode);
          if (!text) throw required('text', 'explain the refusal to the partner');
          return {
            patch: { extensionRequestedAt: null, extensionReason: null },
            note: text,
            reasonCode: code,
          };
        }
        case 'lose':
          return { patch: { closedAt: nowIso }, note: text || null, release: true };
      }
    },
    input.requestId,
  );
}

/** The partner's own moves: ask for an extension, withdraw, or mark the opportunity lost. */
export async function partnerDealAction(
  ctx: AppContext,
  who: { actor: Actor; scope: Scope },
  id: string,
  input: {
    action: 'request-extension' | 'withdraw' | 'lose';
    text?: string | undefined;
    requestId?: string | null | undefined;
  },
) {
  partnerOf(who.scope);
  return changeDeal(
    ctx,
    who,
    id,
    input.action,
    async (d, program) => {
      const policy = policyOf(program);
      const nowIso = ctx.clock.now().toISOString();
      const text = input.text?.trim() ?? '';
      if (input.action === 'request-extension') {
        if (d.extensionRequestedAt)
          throw new TrellisError('conflict', `an extension of ${d.id} is already awaiting review`);
        const may = canRequestExtension(policy, d.extensionsGranted);
        if (!may.allowed)
          throw new TrellisError('invalid_input', may.message, [
            { location: 'body.action', message: may.message },
          ]);
        if (!text) throw required('text', 'say why the deal needs more time');
        return { patch: { extensionRequestedAt: nowIso, extensionReason: text }, note: text };
      }
      return { patch: { closedAt: nowIso }, note: text || null, release: true };
    },
    input.requestId,
  );
}

function required(field: string, message: string) {
  return new TrellisError('invalid_input', message, [{ location: `body.${field}`, message }]);
}

function reasonCodeOf(program: ProgramInForce, code: string | undefined): string {
  const reasons = rejectionReasonsOf(program.definition.dealRegistration);
  if (!code || !reasons.some((r) => r.code === code))
    throw new TrellisError('invalid_input', 'a reason code from the program list is required', [
      { location: 'body.reasonCode', message: `one of ${reasons.map((r) => r.code).join(', ')}` },
    ]);
  return code;
}

/**
 * One move of a registration, all or nothing: the transition allowed for the caller's side, a conditional
 * update at the row's version (so of racing requests one moves it and the others get 409), the history
 * row and the audit event.
 */
async function changeDeal(
  ctx: AppContext,
  who: { actor: DealActor; scope: Scope },
  id: string,
  action: Exclude<DealAction, 'create' | 'edit' | 'submit'>,
  decide: (
    d: DealRow,
    program: ProgramInForce,
    trx: Kysely<Database>,
  ) => Promise<{
    patch: Partial<DealRow>;
    note?: string | null;
    reasonCode?: string | null;
    release?: boolean;
  }>,
  requestId?: string | null,
) {
  const program = await programOfDeal(ctx, who.scope, id);
  return losingRaceIsConflict(`registration ${id}`, () =>
    ctx.store.db.transaction().execute(async (trx) => {
      const repo = dealRepository(trx);
      const d = await repo.get(who.scope, id);
      if (!d) throw notFound('deal registration', id);
      const day = today(ctx);
      const current = effectiveStatus(d.status as DealStatus, d.protectedUntil, day);
      const t = transition(current, action, sideOf(who.actor));
      if (!t.ok) throw new TrellisError('conflict', t.reason);
      const { patch, note, reasonCode, release } = await decide(d, program, trx);
      const full = { ...patch, status: t.to, updatedAt: ctx.clock.now().toISOString() };
      if (!(await repo.update(d.id, d.version, [d.status], full)))
        throw new TrellisError(
          'conflict',
          `registration ${d.id} was changed by another request; read it again`,
        );
      if (release) await repo.releaseClaims(d.id);
      const after: DealRow = { ...d, ...full, version: d.version + 1 };
      await recordDealStep(trx, ctx, {
        actor: who.actor,
        deal: d,
        action,
        from: d.status as DealStatus,
        to: t.to,
        reasonCode: reasonCode ?? null,
        note: note ?? null,
        after,
        requestId,
      });
      return dealView(ctx, who.scope, after, await repo.lines(d.id));
    }),
  );
}

export const DEAL_REVIEW_ACTIONS = [
  'start-review',
  'request-info',
  'approve',
  'reject',
  'grant-extension',
  'refuse-extension',
  'lose',
] as const;

/**
 * Several registrations at once (the review queue's bulk actions): each is its own transaction, so one
 * that cannot move (decided meanwhile, wrong state) is reported and the others go ahead.
 */
export async function reviewDeals(
  ctx: AppContext,
  who: { actor: DealActor; scope: Scope },
  ids: readonly string[],
  input: ReviewInput,
) {
  const results: { id: string; ok: boolean; status?: string; error?: string }[] = [];
  for (const id of ids) {
    try {
      const d = await reviewDeal(ctx, who, id, input);
      results.push({ id, ok: true, status: d.status });
    } catch (e) {
      if (!(e instanceof TrellisError)) throw e;
      results.push({ id, ok: false, error: e.message });
    }
  }
  return { done: results.filter((r) => r.ok).length, failed: results.filter((r) => !r.ok).length, results };
}

export { ACTIVE_STATUSES };
