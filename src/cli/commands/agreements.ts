import type { Command } from 'commander';
import { actingAs } from '../../app/access/acting-as.js';
import {
  getAgreement,
  giveNotice,
  listAgreements,
  type AgreementDetail,
} from '../../app/agreements/agreements.js';
import { linkDistributor } from '../../app/agreements/distributor-link.js';
import { type AppContext } from '../../app/context.js';
import {
  AGREEMENT_STATUSES,
  NOTICE_REASONS,
  type AgreementStatus,
} from '../../core/agreements/life-cycle.js';
import { SYSTEM_SCOPE, type Scope } from '../../core/access/scope.js';
import { formatMoney } from '../../core/money/money.js';
import { formatPercent } from '../../core/money/rate.js';
import { TrellisError } from '../../core/shared/errors.js';
import { withContext } from '../context.js';
import { runCommand } from '../run.js';

/**
 * Vendor agreements from the command line (issue 12): the agreements in force and their status on a day,
 * one agreement's terms, history, funding and rewards, and a party's notice of termination. Reads are
 * the operator's (every agreement) unless `--as <email>` names whose view it is (a vendor person: the
 * agreements its vendor is party to; a partner person: those binding its programs, with its rewards).
 * Notice names the vendor admin with `--as`, or the party with `--party` (the operator, e.g. recording a
 * past notice).
 */

const out = (line: string) => process.stdout.write(`${line}\n`);

function isoDay(flag: string, v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(Date.parse(`${v}T00:00:00Z`)))
    throw new TrellisError('invalid_input', `${flag}: "${v}" is not a date (YYYY-MM-DD)`);
  return v;
}

function oneOf<T extends string>(flag: string, v: string | undefined, allowed: readonly T[]): T | undefined {
  if (v === undefined) return undefined;
  const found = allowed.find((a) => a === v);
  if (!found) throw new TrellisError('invalid_input', `${flag}: expected one of ${allowed.join(', ')}`);
  return found;
}

async function readerScope(ctx: AppContext, as: string | undefined): Promise<Scope> {
  if (!as) return SYSTEM_SCOPE;
  return (await actingAs(ctx, as, { resource: 'agreement', action: 'read' }, 'agreements')).scope;
}

function printDetail(a: AgreementDetail): void {
  out(`${a.name} (${a.code}, ${a.id})`);
  out(`  status on ${a.asOf}: ${a.status}`);
  out(`  signed ${a.signed}, in force ${a.effectiveFrom} to ${a.effectiveTo ?? 'open'} (term ${a.term})`);
  for (const p of a.parties)
    out(`  party ${p.slug} (${p.name}), ${p.role}, binds ${p.programs.join(', ') || 'no program'}`);
  const t = a.terms;
  out(
    `  termination: ${t.noticeDays} days' notice; change of control ${t.changeOfControl.allowsTermination ? 'allowed' : 'not allowed'}; convenience ${t.convenience.allowsTermination ? 'allowed' : 'not allowed'}`,
  );
  if (t.continuity.enabled)
    out(`  continuity: tiers and benefits kept in ${t.continuity.programs.join(', ')}`);
  for (const c of t.continuity.crossCredit)
    out(
      `  cross-credit: purchases through ${c.from} count in ${c.to}'s program at ${formatPercent(c.sharePpm)}`,
    );
  if (t.solutionReward) {
    const r = t.solutionReward;
    out(
      `  solution reward: +${formatPercent(r.pointsPpm)} for ${r.requires.map((x) => `${x.vendor} ${x.families.join('/')}`).join(' + ')} within ${r.window}; funded ${r.funding.map((f) => `${f.vendor} ${(f.basisPoints / 100).toFixed(2)}%`).join(' / ')}`,
    );
  }
  if (a.notice)
    out(
      `  notice: ${a.notice.by} on ${a.notice.noticeDate} (${a.notice.reason}), effective ${a.notice.effectiveDate}`,
    );
  out(`  cross-vendor accruals count through ${a.accrualsThrough ?? 'the open end'}`);
  for (const e of a.events) out(`  ${e.onDay}  ${e.sentence}`);
  for (const r of a.rewards)
    out(
      `  reward ${r.completedOn} ${r.partnerId} ${r.period}: ${formatMoney({ amountMinor: r.shareMinor, currency: r.currency })}${r.rewardMinor === null ? '' : ` of ${formatMoney({ amountMinor: r.rewardMinor, currency: r.currency })}`}`,
    );
  for (const total of a.rewardTotals)
    out(
      `  rewards: ${total.shares} share(s), ${formatMoney({ amountMinor: total.totalMinor, currency: total.currency })}`,
    );
}

export function registerAgreements(program: Command): void {
  const verbose = () => Boolean(program.opts().verbose);
  const agreements = program
    .command('agreements')
    .description(
      'vendor agreements: parties, terms, status on a day, notice of termination, cross-vendor rewards',
    );

  agreements
    .command('list')
    .description('agreements and their status on a day (today by default)')
    .option('--as <email>', "read as this person (a vendor's agreements, or a partner's)")
    .option('--as-of <date>', 'status on this day (YYYY-MM-DD)')
    .option('--status <status>', AGREEMENT_STATUSES.join(', '))
    .option('--json', 'print JSON lines')
    .action(async (opts: { as?: string; asOf?: string; status?: string; json?: boolean }) => {
      await runCommand(verbose(), async () => {
        const filter = {
          asOf: isoDay('--as-of', opts.asOf),
          status: oneOf<AgreementStatus>('--status', opts.status, AGREEMENT_STATUSES),
        };
        const { items } = await withContext(async (ctx) =>
          listAgreements(ctx, await readerScope(ctx, opts.as), filter),
        );
        if (opts.json) {
          for (const a of items) out(JSON.stringify(a));
          return;
        }
        if (items.length === 0) {
          out('no agreements');
          return;
        }
        for (const a of items)
          out(
            `${a.id}  ${a.code}  ${a.status}  ${a.effectiveFrom} to ${a.effectiveTo ?? 'open'}  ${a.parties.map((p) => p.slug).join(' + ')}${a.notice ? `  notice ${a.notice.noticeDate} by ${a.notice.by}, effective ${a.notice.effectiveDate}` : ''}`,
          );
      });
    });

  agreements
    .command('show')
    .description("one agreement: terms, status, history, the caller's funding and rewards")
    .argument('<agreement>', 'agreement id or code')
    .option('--as <email>', 'read as this person')
    .option('--as-of <date>', 'status on this day (YYYY-MM-DD)')
    .option('--json', 'print JSON')
    .action(async (agreement: string, opts: { as?: string; asOf?: string; json?: boolean }) => {
      await runCommand(verbose(), async () => {
        const asOf = isoDay('--as-of', opts.asOf);
        const a = await withContext(async (ctx) =>
          getAgreement(ctx, await readerScope(ctx, opts.as), agreement, { asOf }),
        );
        if (opts.json) out(JSON.stringify(a));
        else printDetail(a);
      });
    });

  agreements
    .command('notice')
    .description(
      "gives notice of termination for a party (once; audited): takes effect the agreement's notice days after --date",
    )
    .argument('<agreement>', 'agreement id or code')
    .requiredOption('--reason <reason>', NOTICE_REASONS.join(' or '))
    .option('--date <date>', 'the notice day (YYYY-MM-DD; default today), within the term')
    .option('--note <text>', 'a note for the history')
    .option('--as <email>', "the party's vendor admin giving notice")
    .option('--party <slug>', 'as the operator: the party giving notice (vendor slug)')
    .option('--json', 'print JSON')
    .action(
      async (
        agreement: string,
        opts: { reason: string; date?: string; note?: string; as?: string; party?: string; json?: boolean },
      ) => {
        await runCommand(verbose(), async () => {
          if (!opts.as && !opts.party)
            throw new TrellisError(
              'invalid_input',
              'agreements notice: name the vendor admin with --as <email>, or the party with --party <slug>',
            );
          const input = {
            reason: opts.reason,
            date: isoDay('--date', opts.date),
            note: opts.note ?? null,
            source: 'cli' as const,
          };
          const a = await withContext(async (ctx) => {
            if (opts.as) {
              const who = await actingAs(
                ctx,
                opts.as,
                { resource: 'agreement', action: 'manage' },
                'agreements notice',
              );
              return giveNotice(ctx, who, agreement, input);
            }
            return giveNotice(ctx, { actor: { kind: 'system', id: 'cli' }, scope: SYSTEM_SCOPE }, agreement, {
              ...input,
              party: opts.party,
            });
          });
          if (opts.json) out(JSON.stringify(a));
          else printDetail(a);
        });
      },
    );

  agreements
    .command('distributor')
    .description(
      "mark a distributor record as standing for a vendor acting as a distributor (Dell Technologies distributing VMware: purchases through it count in another vendor's program only under an agreement's cross-credit), or clear the mark; the operator's, audited",
    )
    .argument('<partnerId>', 'the distributor partner id')
    .option('--represents <vendor>', 'vendor slug or id it stands for')
    .option('--clear', 'it stands for no vendor')
    .option('--json', 'print JSON')
    .action(async (partnerId: string, opts: { represents?: string; clear?: boolean; json?: boolean }) => {
      await runCommand(verbose(), () =>
        withContext(async (ctx) => {
          if ((opts.represents === undefined) === (opts.clear !== true))
            throw new TrellisError('invalid_input', 'give exactly one of --represents <vendor> or --clear');
          const r = await linkDistributor(
            ctx,
            { actor: { kind: 'system', id: 'cli' } },
            { partnerId, vendor: opts.clear ? null : (opts.represents as string) },
          );
          out(
            opts.json
              ? JSON.stringify(r)
              : `${r.partnerName} (${r.partnerId}) ${r.represents ? `stands for ${r.represents}` : 'stands for no vendor'}${r.changed ? '' : ' (unchanged)'}`,
          );
        }),
      );
    });
}
