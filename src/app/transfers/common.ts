import { agreementsInForce } from '../agreements/agreements.js';
import type { Actor } from '../../core/access/actor.js';
import { SYSTEM_SCOPE, type Scope } from '../../core/access/scope.js';
import type { ProgramDefinition } from '../../core/programs/types.js';
import { notFound, TrellisError } from '../../core/shared/errors.js';
import type { JobProgress } from '../jobs/job-kinds.js';
import type { AppContext } from '../context.js';

/** Who runs a transfer: the platform operator (system: the CLI, the demo) or a signed-in vendor admin. */
export interface TransferCaller {
  actor: Actor | { kind: 'system'; id: string };
  scope: Scope;
  requestId?: string | null | undefined;
  jobId?: string | null | undefined;
  progress?: JobProgress | undefined;
}

export const NO_PROGRESS: JobProgress = { phase: () => undefined, update: () => undefined };

export function startedBy(who: TransferCaller): string {
  const a = who.actor;
  return a.kind === 'person' ? a.personId : a.kind === 'token' ? a.tokenId : `system:${a.id}`;
}

export interface StoredProgram {
  id: string;
  code: string;
  vendorId: string;
  vendorSlug: string;
}

/** A program by id or code, whoever's it is (programs are public reference data); `field` names it. */
export async function programNamed(ctx: AppContext, idOrCode: string, field: string): Promise<StoredProgram> {
  const p = await ctx.repos.programs.get(SYSTEM_SCOPE, idOrCode);
  if (!p)
    throw new TrellisError('not_found', `program ${idOrCode} was not found`, [
      { location: field, message: `no program ${idOrCode}` },
    ]);
  const vendorSlug = await ctx.repos.vendors.slugOf(p.vendorId);
  if (vendorSlug === undefined) throw notFound('vendor', p.vendorId);
  return { id: p.id, code: p.code, vendorId: p.vendorId, vendorSlug };
}

/**
 * The published version whose terms a partner last had on a day: the one in force that day, else the
 * latest that ended before it (a program that stopped: its partners' last terms). Null when none.
 */
export async function versionOnOrBefore(
  ctx: AppContext,
  programId: string,
  day: string,
): Promise<{ definition: ProgramDefinition; day: string } | null> {
  const versions = (await ctx.repos.programs.versions(SYSTEM_SCOPE, programId)).filter(
    (v) => v.status === 'published' && v.effectiveFrom <= day,
  );
  const inForce = versions.find((v) => v.effectiveTo >= day);
  if (inForce) return { definition: JSON.parse(inForce.definition) as ProgramDefinition, day };
  const last = versions.sort((a, b) => (a.effectiveTo < b.effectiveTo ? -1 : 1)).at(-1);
  return last
    ? { definition: JSON.parse(last.definition) as ProgramDefinition, day: last.effectiveTo }
    : null;
}

/**
 * The target's consent to a split run by the source vendor's admin: an agreement in force on the split
 * day, to which both vendors are parties, whose benefit-continuity term is enabled and names both
 * programs (the Dell-VMware Commercial Framework Agreement of 2021). It is what both vendors signed; the
 * platform operator publishes it. Returns its code, or null.
 */
export async function consentingAgreement(
  ctx: AppContext,
  input: {
    sourceVendorId: string;
    targetVendorId: string;
    sourceCode: string;
    targetCode: string;
    day: string;
  },
): Promise<string | null> {
  // In force on the day by the agreements' life cycle (in term, no termination in effect), both vendors
  // party to it, and its continuity term naming both programs.
  const inForce = await agreementsInForce(ctx.store.db, input.sourceVendorId, input.day);
  for (const a of [...inForce].sort((x, y) => (x.code < y.code ? -1 : x.code > y.code ? 1 : 0))) {
    if (!a.parties.some((p) => p.vendorId === input.targetVendorId)) continue;
    const c = a.definition.provisions.benefitContinuity;
    if (c.enabled && c.programs.includes(input.sourceCode) && c.programs.includes(input.targetCode))
      return a.code;
  }
  return null;
}
