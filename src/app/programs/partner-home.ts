import { readsStandingOf } from '../../core/access/policy.js';
import type { Scope } from '../../core/access/scope.js';
import { periodOf, programPeriods } from '../../core/ledger/periods.js';
import { notFound, TrellisError } from '../../core/shared/errors.js';
import type { AppContext } from '../context.js';
import { programInForce } from './program-in-force.js';

export interface PartnerHomeProgram {
  programId: string;
  code: string;
  name: string;
  vendorId: string;
  vendorName: string;
  enrolment: { status: string; partnerNumber: string; enrolledAt: string };
  /**
   * The day the card reads the program on: today when a version is in force today, else the last day
   * of its latest program year (the same default as the standing and earnings pages); null without a
   * published version.
   */
  asOf: string | null;
  inForceToday: boolean;
  /** The program year (version) in force on `asOf`, its periods, and the period `asOf` falls in. */
  year: {
    version: string;
    from: string;
    to: string | null;
    periods: { code: string; from: string; to: string }[];
  } | null;
  currentPeriod: string | null;
}

export interface PartnerHome {
  partnerId: string;
  partnerName: string;
  today: string;
  programs: PartnerHomeProgram[];
}

/**
 * What a partner's home needs to lay out one card per vendor program: the programs it is enrolled in
 * (a vendor caller sees only its own), each with the program year and period that "this year" and
 * "this quarter" mean today. Standing and earnings are read per program from their own routes.
 */
export async function partnerHome(ctx: AppContext, scope: Scope, partnerId: string): Promise<PartnerHome> {
  if (!readsStandingOf(scope, partnerId)) throw notFound('partner', partnerId);
  const partner = await ctx.repos.partners.get(scope, partnerId);
  if (!partner) throw notFound('partner', partnerId);
  const today = ctx.clock.now().toISOString().slice(0, 10);
  const enrolments = await ctx.repos.partners.enrolments(scope, partnerId);
  const programs: PartnerHomeProgram[] = [];
  const seen = new Set<string>();
  for (const e of enrolments) {
    if (seen.has(e.programId)) continue;
    seen.add(e.programId);
    const [program, vendor] = await Promise.all([
      ctx.repos.programs.get(scope, e.programId),
      ctx.repos.vendors.get(scope, e.vendorId),
    ]);
    if (!program) continue;
    let pif: Awaited<ReturnType<typeof programInForce>> | null = null;
    try {
      pif = await programInForce(ctx, scope, program.id, undefined);
    } catch (err) {
      // No published version: the card says so rather than failing the whole home.
      if (!(err instanceof TrellisError) || err.code !== 'invalid_input') throw err;
    }
    const d = pif?.definition;
    programs.push({
      programId: program.id,
      code: program.code,
      name: program.name,
      vendorId: program.vendorId,
      vendorName: vendor?.name ?? program.vendorId,
      enrolment: { status: e.status, partnerNumber: e.partnerNumber, enrolledAt: e.enrolledAt },
      asOf: pif?.asOf ?? null,
      inForceToday: pif !== null && pif.asOf === today,
      year: d
        ? {
            version: d.version,
            from: d.effective.from,
            to: d.effective.to,
            periods: programPeriods(d).map((p) => ({ code: p.code, from: p.from, to: p.to })),
          }
        : null,
      currentPeriod: d && pif ? periodOf(d, pif.asOf) : null,
    });
  }
  return { partnerId: partner.id, partnerName: partner.name, today, programs };
}
