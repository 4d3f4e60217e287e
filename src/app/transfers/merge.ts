import { SYSTEM_SCOPE } from '../../core/access/scope.js';
import { message } from '../../core/messages/message.js';
import type { IsoDate, ProgramDefinition } from '../../core/programs/types.js';
import { TrellisError, type ErrorDetail } from '../../core/shared/errors.js';
import {
  certificationKey,
  checkDay,
  checkPartner,
  familiesSold,
  notCarriedItem,
  type NotCarried,
  type PartnerCheck,
} from '../../core/transfers/index.js';
import { transferRepository } from '../../db/repositories/transfer-repository.js';
import { losingRaceIsConflict } from '../concurrency.js';
import type { AppContext } from '../context.js';
import { rosterChanged } from '../engagement/roster.js';
import { programInForce } from '../programs/program-in-force.js';
import { planStatusMatch, writeStatusMatch, type LegacyTierRow } from '../tiers/status-match.js';
import { NO_PROGRESS, programNamed, startedBy, versionOnOrBefore, type TransferCaller } from './common.js';
import { transferView, type TransferView } from './queries.js';
import { auditBoth, dayBefore } from './split.js';

export interface MergeInput {
  /** The merged program (id or code); its version in force carries the `statusMatch`. */
  target: string;
  /** The legacy programs (ids or codes), each named in the target's `statusMatch.legacyPrograms`. */
  legacy: readonly string[];
  /** Partners whose listed differences the caller accepts. */
  acceptDifferences?: readonly string[] | undefined;
}

export interface CheckedMerge {
  target: Awaited<ReturnType<typeof programNamed>>;
  legacy: (Awaited<ReturnType<typeof programNamed>> & { mapped: string; definition: ProgramDefinition })[];
  definition: ProgramDefinition;
  effective: IsoDate;
  transferKey: string;
}

/**
 * The checks a merge makes before any work: the target exists and one of its versions defines a status
 * match, in force on its effective day; each legacy program exists, is another program, is listed in the
 * status match (by code or name) and had terms before the merge; the caller may run it (the platform
 * operator, or the target vendor's admin when every legacy program is its own vendor's); not merged yet.
 */
export async function checkMerge(
  ctx: AppContext,
  who: Pick<TransferCaller, 'scope'>,
  input: MergeInput,
): Promise<CheckedMerge> {
  const scope = who.scope;
  if (scope.kind === 'partner')
    throw new TrellisError('forbidden', 'a merge is run by the platform operator or a vendor admin');
  const target = await programNamed(ctx, input.target, 'target');
  // A vendor's admin merges its own programs only, and learns nothing of another vendor's.
  const own = (p: { vendorId: string }) => scope.kind === 'system' || p.vendorId === scope.vendorId;
  if (!own(target))
    throw new TrellisError('not_found', `program ${input.target} was not found`, [
      { location: 'target', message: `no program ${input.target} of yours` },
    ]);
  const versions = await ctx.repos.programs.versions(SYSTEM_SCOPE, target.id);
  const effective = versions
    .map((v) => JSON.parse(v.definition) as ProgramDefinition)
    .find((d) => d.statusMatch)?.statusMatch?.effective;
  if (!effective)
    throw new TrellisError('invalid_input', `${target.code} defines no status match: nothing to merge into`, [
      { location: 'target', message: `${target.code} has no statusMatch` },
    ]);
  const pif = await programInForce(ctx, SYSTEM_SCOPE, target.id, effective, 'target');
  const sm = pif.definition.statusMatch!;
  const errors: ErrorDetail[] = [];
  const legacy: CheckedMerge['legacy'] = [];
  const norm = (s: string) => s.trim().toLowerCase();
  for (const [i, name] of input.legacy.entries()) {
    const p = await programNamed(ctx, name, `legacy.${i}`).catch(() => null);
    if (!p || !own(p)) {
      errors.push({ location: `legacy.${i}`, message: `no program ${name}` });
      continue;
    }
    if (p.id === target.id) {
      errors.push({ location: `legacy.${i}`, message: `${p.code} is the merged program itself` });
      continue;
    }
    if (legacy.some((l) => l.id === p.id)) {
      errors.push({ location: `legacy.${i}`, message: `${p.code} is listed twice` });
      continue;
    }
    const mapping = sm.legacyPrograms.find(
      (m) => norm(m.program) === norm(p.code) || (m.name !== null && norm(m.name) === norm(p.code)),
    );
    if (!mapping) {
      errors.push({
        location: `legacy.${i}`,
        message: `${p.code} is not a legacy program of ${target.code} (its status match lists: ${sm.legacyPrograms.map((m) => m.program).join(', ')})`,
      });
      continue;
    }
    const terms = await versionOnOrBefore(ctx, p.id, dayBefore(effective));
    if (!terms) {
      errors.push({ location: `legacy.${i}`, message: `${p.code} has no version before ${effective}` });
      continue;
    }
    legacy.push({ ...p, mapped: mapping.program, definition: terms.definition });
  }
  if (errors.length > 0)
    throw new TrellisError('invalid_input', `the merge into ${target.code} is refused`, errors);
  const transferKey = `merge:${target.id}`;
  const done = await transferRepository(ctx.store.db).byKey(transferKey);
  if (done) throw new TrellisError('conflict', `${target.code} was already merged: transfer ${done.id}`);
  return { target, legacy, definition: pif.definition, effective, transferKey };
}

/**
 * The merge of legacy programs into one (Dell PartnerDirect and the EMC Business Partner Program into the
 * Dell EMC Partner Program, 1 February 2017), built on the status match: every partner enrolled in a
 * legacy program is enrolled in the merged one (legacy partner number, status and exclusivity of the first
 * legacy program listed), its legacy tiers held the day before the match (the floor when none is
 * recorded) go through the program's `statusMatch` (the highest mapped tier, grandfathered), and its
 * people's certifications with a legacy vendor other than the target's are carried in the families the
 * target sells. The promise checked on the day after the match: each partner holds its matched tier.
 */
export async function mergePrograms(
  ctx: AppContext,
  who: TransferCaller,
  input: MergeInput,
): Promise<{ transfer: TransferView; differences: { partnerId: string; sentences: string[] }[] }> {
  const progress = who.progress ?? NO_PROGRESS;
  progress.phase('checking the merge', 1);
  const checked = await checkMerge(ctx, who, input);
  const { target, legacy, definition, effective } = checked;
  const after = checkDay(effective);
  const before = dayBefore(effective);
  const repo = transferRepository(ctx.store.db);

  progress.phase('reading the legacy partner bases', legacy.length);
  const targetEnrolled = new Set((await repo.enrolled(target.id)).map((e) => e.partnerId));
  const byPartner = new Map<string, Omit<LegacyTierRow, 'partnerId'>[]>();
  const enrolment = new Map<string, { partnerNumber: string; status: string; exclusive: number }>();
  for (const [i, l] of legacy.entries()) {
    const statuses = new Set(l.definition.statuses.map((s) => s.code));
    const held = new Map(
      (await repo.inForce(l.id, before))
        .filter((m) => !statuses.has(m.tierCode))
        .map((m) => [m.partnerId, m.tierCode]),
    );
    for (const e of await repo.enrolled(l.id)) {
      if (!enrolment.has(e.partnerId)) enrolment.set(e.partnerId, e);
      const tier = held.get(e.partnerId) ?? l.definition.tiers[0]?.code ?? '';
      byPartner.set(e.partnerId, [
        ...(byPartner.get(e.partnerId) ?? []),
        { location: `legacy.${i}:${e.partnerId}`, legacyProgram: l.mapped, legacyTier: tier },
      ]);
    }
    progress.update(i + 1);
  }
  const pif = { programId: target.id, vendorId: target.vendorId, definition };
  const planned = planStatusMatch(ctx, pif, byPartner);
  if (planned.errors.length > 0)
    throw new TrellisError(
      'invalid_input',
      `the merge into ${target.code} is refused: ${planned.errors.length} legacy tier(s) cannot be matched`,
      planned.errors.slice(0, 200),
    );

  // Certifications with the legacy vendors that are not the target's.
  const families = familiesSold(await repo.productFamilies(target.vendorId), definition);
  const targetKeys = new Set(
    (await repo.certificationKeys(target.vendorId)).map((c) => `${c.partnerId}|${certificationKey(c)}`),
  );
  const carriedCerts = new Map<
    string,
    {
      id: string;
      personId: string;
      code: string;
      kind: string;
      family: string;
      earnedOn: string;
      expiresOn: string;
    }[]
  >();
  const notCarried = new Map<string, NotCarried[]>();
  for (const vendorId of new Set(legacy.map((l) => l.vendorId))) {
    if (vendorId === target.vendorId) continue;
    for (const c of await repo.activeCertifications(vendorId, effective)) {
      if (!byPartner.has(c.partnerId)) continue;
      const key = `${c.partnerId}|${certificationKey(c)}`;
      if (!families.has(c.family as never) || targetKeys.has(key)) {
        notCarried.set(c.partnerId, [
          ...(notCarried.get(c.partnerId) ?? []),
          notCarriedItem(
            'certification',
            c.id,
            message(
              targetKeys.has(key)
                ? 'transfers.notCarried.certificationHeld'
                : 'transfers.notCarried.certificationNotSold',
              { code: c.code, family: c.family, vendor: target.vendorSlug },
            ),
          ),
        ]);
        continue;
      }
      targetKeys.add(key);
      carriedCerts.set(c.partnerId, [...(carriedCerts.get(c.partnerId) ?? []), c]);
    }
  }

  const now = ctx.clock.now().toISOString();
  const transferId = ctx.ids.next('transfer');
  const accepted = new Set(input.acceptDifferences ?? []);
  const statusCodes = new Set(definition.statuses.map((s) => s.code));
  const outcome = await losingRaceIsConflict(`the merge into ${target.code}`, () =>
    ctx.store.db.transaction().execute(async (trx) => {
      const txRepo = transferRepository(trx);
      const taken = await txRepo.byKey(checked.transferKey);
      if (taken)
        throw new TrellisError('conflict', `${target.code} was already merged: transfer ${taken.id}`);
      progress.phase('enrolling and matching', planned.rows.length);
      const newcomers = [...byPartner.keys()].filter((p) => !targetEnrolled.has(p));
      await txRepo.insertEnrolments(
        newcomers.map((partnerId) => {
          const e = enrolment.get(partnerId)!;
          return {
            id: ctx.ids.next('enrolment'),
            vendorId: target.vendorId,
            programId: target.id,
            partnerId,
            partnerNumber: e.partnerNumber,
            status: e.status,
            exclusive: e.exclusive,
            enrolledAt: now,
          };
        }),
      );
      const written = await writeStatusMatch(trx, pif, planned.rows);
      const certIds = new Map<string, string[]>();
      const certRows = [...carriedCerts.entries()].flatMap(([partnerId, list]) =>
        list.map((c) => {
          const id = ctx.ids.next('certification');
          certIds.set(partnerId, [...(certIds.get(partnerId) ?? []), id]);
          return { ...c, id, vendorId: target.vendorId, partnerId };
        }),
      );
      await txRepo.insertCertifications(certRows);
      progress.update(planned.rows.length);

      progress.phase('checking the promise', planned.matched.length);
      const heldAfter = new Map(
        (await txRepo.inForce(target.id, after))
          .filter((m) => !statusCodes.has(m.tierCode))
          .map((m) => [m.partnerId, m.tierCode]),
      );
      const checks: PartnerCheck[] = planned.matched.map((m) =>
        checkPartner({
          partnerId: m.partnerId,
          checkedOn: after,
          sourceTier: (byPartner.get(m.partnerId) ?? [])
            .map((l) => `${l.legacyProgram} ${l.legacyTier}`)
            .join('; '),
          promisedTier: m.tier,
          heldTier: heldAfter.get(m.partnerId) ?? null,
          sourceRates: {},
          targetRates: {},
          families: [],
        }),
      );
      progress.update(checks.length);
      const refused = checks.filter((c) => !c.ok && !accepted.has(c.partnerId));
      if (refused.length > 0)
        throw new TrellisError(
          'conflict',
          `the merge into ${target.code} would not give ${refused.length} partner(s) their matched tier on ${after}; nothing was written`,
          refused
            .flatMap((c) =>
              c.differences.map((d) => ({ location: `partners.${c.partnerId}`, message: d.sentence })),
            )
            .slice(0, 200),
        );
      const differing = checks.filter((c) => !c.ok);
      const membershipOf = new Map(written.map((m) => [m.partnerId, m.id]));
      const transfer = {
        id: transferId,
        kind: 'merge',
        transferKey: checked.transferKey,
        sourceProgramId: null,
        sourceProgramIds: JSON.stringify(legacy.map((l) => l.id)),
        targetVendorId: target.vendorId,
        targetProgramId: target.id,
        onDay: effective,
        checkDay: after,
        tierMap: JSON.stringify(
          Object.fromEntries(definition.statusMatch!.legacyPrograms.map((m) => [m.program, m.tiers])),
        ),
        grandfatherUntil: planned.matched[0]?.grandfatheredUntil ?? null,
        status: differing.length > 0 ? 'carried-with-differences' : 'carried',
        partners: checks.length,
        enrolments: newcomers.length,
        memberships: written.length,
        certifications: certRows.length,
        notCarried: [...notCarried.values()].reduce((n, l) => n + l.length, 0),
        differences: differing.length,
        startedBy: startedBy(who),
        jobId: who.jobId ?? null,
        createdAt: now,
      };
      const vendors = [...new Set(legacy.map((l) => l.vendorId))].filter((v) => v !== target.vendorId);
      const parties = [
        { transferId, vendorId: target.vendorId, role: 'target', createdAt: now },
        ...vendors.map((vendorId) => ({ transferId, vendorId, role: 'source', createdAt: now })),
      ];
      await txRepo.insert(
        transfer,
        parties,
        checks.map((check, i) => ({
          id: ctx.ids.next('transferPartner'),
          transferId,
          carryKey: `merge:${target.id}:${check.partnerId}`,
          partnerId: check.partnerId,
          sourceTier: check.sourceTier,
          promisedTier: check.promisedTier,
          heldTier: check.heldTier,
          enrolled: targetEnrolled.has(check.partnerId) ? 0 : 1,
          membershipId: membershipOf.get(check.partnerId) ?? null,
          certifications: certIds.get(check.partnerId)?.length ?? 0,
          ok: check.ok ? 1 : 0,
          accepted: !check.ok && accepted.has(check.partnerId) ? 1 : 0,
          check: JSON.stringify({
            rates: check.rates,
            differences: check.differences,
            reason: planned.matched[i]?.reason ?? null,
          }),
          detail: JSON.stringify({
            notCarried: notCarried.get(check.partnerId) ?? [],
            certificationIds: certIds.get(check.partnerId) ?? [],
          }),
          createdAt: now,
        })),
      );
      await auditBoth(trx, ctx, who, transfer, [target.vendorId, ...vendors], null);
      return { transfer, parties, differing };
    }),
  );
  rosterChanged(ctx.store, target.vendorId);
  return {
    transfer: transferView(
      outcome.transfer,
      outcome.parties.map(({ vendorId, role }) => ({ vendorId, role })),
    ),
    differences: outcome.differing.map((c) => ({
      partnerId: c.partnerId,
      sentences: c.differences.map((d) => d.sentence),
    })),
  };
}
