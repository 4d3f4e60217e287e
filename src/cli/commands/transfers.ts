import type { Command } from 'commander';
import { actingAs } from '../../app/access/acting-as.js';
import { type AppContext } from '../../app/context.js';
import type { TransferCaller } from '../../app/transfers/common.js';
import { mergePrograms } from '../../app/transfers/merge.js';
import { getTransfer, listTransfers, type TransferView } from '../../app/transfers/queries.js';
import { splitPartnerBase } from '../../app/transfers/split.js';
import { formatPercent } from '../../core/money/rate.js';
import { SYSTEM_SCOPE, type Scope } from '../../core/access/scope.js';
import { TrellisError } from '../../core/shared/errors.js';
import { createProgress } from '../progress.js';
import { withContext } from '../context.js';
import { runCommand } from '../run.js';

/**
 * Splits and merges of partner bases from the command line (issue 12): `trellis programs split` carries a
 * program's partners to another vendor's program on a day and checks the promise ("no change for
 * partners") on the day after; `merge` brings legacy programs into one with its status match; `transfers`
 * lists them, or shows one with each partner's check. The CLI runs as the platform operator; `--as
 * <email>` runs as that person instead, under the same rules as the API (docs/transfers.md).
 */

const out = (line: string) => process.stdout.write(`${line}\n`);
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function isoDay(flag: string, v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  if (!ISO_DATE.test(v) || Number.isNaN(Date.parse(`${v}T00:00:00Z`)))
    throw new TrellisError('invalid_input', `${flag}: "${v}" is not a date (YYYY-MM-DD)`);
  return v;
}

/** `--map gold=advantage,titanium=premier` (or repeated): source tier -> target tier. */
function tierMap(values: readonly string[] | undefined): Record<string, string> | undefined {
  if (!values || values.length === 0) return undefined;
  const map: Record<string, string> = {};
  for (const pair of values.flatMap((v) => v.split(','))) {
    const [from, to, extra] = pair.split('=').map((s) => s.trim());
    if (!from || !to || extra !== undefined)
      throw new TrellisError('invalid_input', `--map: "${pair}" is not source-tier=target-tier`);
    map[from] = to;
  }
  return map;
}

const list = (v: string, previous: string[] = []) => [...previous, v];

async function caller(ctx: AppContext, as: string | undefined, what: string): Promise<TransferCaller> {
  if (!as) return { actor: { kind: 'system', id: 'cli' }, scope: SYSTEM_SCOPE };
  return actingAs(ctx, as, { resource: 'transfer', action: 'manage' }, what);
}

async function readerScope(ctx: AppContext, as: string | undefined): Promise<Scope> {
  if (!as) return SYSTEM_SCOPE;
  return (await actingAs(ctx, as, { resource: 'transfer', action: 'read' }, 'reading transfers')).scope;
}

function printSummary(t: TransferView, differences: { partnerId: string; sentences: string[] }[]): void {
  const c = t.counts;
  out(`${t.kind} ${t.id}: ${t.status} on ${t.onDay} (checked on ${t.checkDay})`);
  out(
    `  ${c.partners} partners, ${c.enrolments} enrolled, ${c.memberships} tiers written, ${c.certifications} certifications carried, ${c.notCarried} items not carried`,
  );
  for (const d of differences) out(`  accepted for ${d.partnerId}: ${d.sentences.join('; ')}`);
}

export function registerTransfers(program: Command): void {
  const programs = program
    .command('programs')
    .description("split a partner base into another vendor's program, merge legacy programs, list transfers");

  programs
    .command('split')
    .description(
      "carry every partner of <source> to <target> (another vendor's program) on --on; refused when a partner's tier or benefit rates would differ on the day after, unless --accept names it",
    )
    .argument('<source>', 'source program id or code')
    .argument('<target>', "target program id or code (another vendor's)")
    .requiredOption('--on <date>', 'the split day, YYYY-MM-DD (within the target program periods)')
    .option('--map <pairs>', 'tier map source=target, comma-separated or repeated (default: same rank)', list)
    .option('--grandfather-until <date>', 'carried tiers are not downgraded before this day')
    .option('--accept <partnerIds>', 'accept the listed differences of these partners (comma-separated)')
    .option('--as <email>', "run as this person (the source vendor's admin, under an agreement)")
    .option('--json', 'print the result as JSON')
    .action(
      async (
        source: string,
        target: string,
        opts: {
          on: string;
          map?: string[];
          grandfatherUntil?: string;
          accept?: string;
          as?: string;
          json?: boolean;
        },
      ) => {
        await runCommand(Boolean(program.opts().verbose), async () => {
          const onDay = isoDay('--on', opts.on)!;
          const grandfatherUntil = isoDay('--grandfather-until', opts.grandfatherUntil);
          const map = tierMap(opts.map);
          await withContext(async (ctx) => {
            const who = await caller(ctx, opts.as, 'a split');
            const bar = createProgress();
            try {
              const result = await splitPartnerBase(
                ctx,
                { ...who, progress: bar },
                {
                  source,
                  target,
                  onDay,
                  tierMap: map,
                  grandfatherUntil,
                  acceptDifferences: opts.accept
                    ?.split(',')
                    .map((s) => s.trim())
                    .filter(Boolean),
                },
              );
              bar.stop();
              if (opts.json) out(JSON.stringify(result));
              else printSummary(result.transfer, result.differences);
            } finally {
              bar.stop();
            }
          });
        });
      },
    );

  programs
    .command('merge')
    .description(
      'merge legacy programs into <target> with its status match: enrol their partners, give each the highest mapped tier (grandfathered), carry certifications',
    )
    .argument('<target>', 'the merged program id or code (its file defines statusMatch)')
    .argument('<legacy...>', 'the legacy program ids or codes')
    .option('--accept <partnerIds>', 'accept the listed differences of these partners (comma-separated)')
    .option('--as <email>', "run as this person (the target vendor's admin, over its own legacy programs)")
    .option('--json', 'print the result as JSON')
    .action(
      async (target: string, legacy: string[], opts: { accept?: string; as?: string; json?: boolean }) => {
        await runCommand(Boolean(program.opts().verbose), async () => {
          await withContext(async (ctx) => {
            const who = await caller(ctx, opts.as, 'a merge');
            const bar = createProgress();
            try {
              const result = await mergePrograms(
                ctx,
                { ...who, progress: bar },
                {
                  target,
                  legacy,
                  acceptDifferences: opts.accept
                    ?.split(',')
                    .map((s) => s.trim())
                    .filter(Boolean),
                },
              );
              bar.stop();
              if (opts.json) out(JSON.stringify(result));
              else printSummary(result.transfer, result.differences);
            } finally {
              bar.stop();
            }
          });
        });
      },
    );

  programs
    .command('transfers')
    .description("list splits and merges, or show one (with --id) with each partner's check")
    .option('--id <transferId>', "show one transfer and each partner's check")
    .option('--failed', 'with --id: only partners whose check found differences')
    .option('--as <email>', 'read as this person (a vendor admin or auditor sees its own vendor’s)')
    .option('--json', 'print JSON')
    .action(async (opts: { id?: string; failed?: boolean; as?: string; json?: boolean }) => {
      await runCommand(Boolean(program.opts().verbose), async () => {
        await withContext(async (ctx) => {
          const scope = await readerScope(ctx, opts.as);
          if (opts.id) {
            const t = await getTransfer(ctx, scope, opts.id, opts.failed ? { ok: false } : {});
            if (opts.json) return out(JSON.stringify(t));
            printSummary(t, []);
            for (const p of t.partners) {
              const rates = p.rates
                .map(
                  (r) =>
                    `${r.family} ${formatPercent(r.source)}${r.source === r.target ? '' : `->${formatPercent(r.target)}`}`,
                )
                .join(', ');
              out(
                `  ${p.partnerId.padEnd(16)} ${p.sourceTier} -> ${p.promisedTier}, holds ${p.heldTier ?? 'none'}: ${p.ok ? 'ok' : p.accepted ? 'accepted' : 'differs'}${rates ? ` (${rates})` : ''}`,
              );
              for (const d of p.differences) out(`      ${d.sentence}`);
              for (const n of p.notCarried) out(`      not carried: ${n.kind} ${n.id}: ${n.why}`);
            }
            return;
          }
          const page = await listTransfers(
            ctx,
            scope,
            {},
            { limit: 500, sort: 'createdAt', direction: 'desc' },
          );
          if (opts.json) return out(JSON.stringify(page.items));
          if (page.items.length === 0) return out('no transfers');
          for (const t of page.items)
            out(
              `${t.id}  ${t.kind.padEnd(5)} ${t.onDay}  ${t.status.padEnd(24)} ${String(t.counts.partners).padStart(7)} partners  into ${t.targetProgramId}`,
            );
        });
      });
    });
}
