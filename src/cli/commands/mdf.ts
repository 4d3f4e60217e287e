import type { Command } from 'commander';
import { actingAs } from '../../app/access/acting-as.js';
import { loadConfig } from '../../app/config.js';
import { createContext, type AppContext } from '../../app/context.js';
import {
  claimMdfActivity,
  decideMdfActivity,
  listMdfActivities,
  mdfActivityDetail,
  proposeActivity,
  type ActivityView,
} from '../../app/mdf/activities.js';
import { runMdfExpiry } from '../../app/mdf/expiry.js';
import { fundBalances, programVersions } from '../../app/mdf/funds.js';
import { openAppStore } from '../../app/store.js';
import { SYSTEM_SCOPE, type Scope } from '../../core/access/scope.js';
import { ACTIVITY_STATUSES } from '../../core/mdf/activity.js';
import { formatMoney, parseMoney } from '../../core/money/money.js';
import { TrellisError } from '../../core/shared/errors.js';
import { createProgress } from '../progress.js';
import { runCommand } from '../run.js';

const SYSTEM = { actor: { kind: 'system' as const, id: 'cli' }, scope: SYSTEM_SCOPE };

async function withContext<T>(run: (ctx: AppContext) => Promise<T>): Promise<T> {
  const store = await openAppStore(loadConfig().store);
  try {
    return await run(createContext(store));
  } finally {
    await store.close();
  }
}

const money = (amountMinor: number | null, currency: string) =>
  amountMinor === null ? '-' : formatMoney({ amountMinor, currency });

/** An amount in major units of the currency ("2500", "2,500.00") as minor units. */
function minorOf(text: string, currency: string, option: string): number {
  const m = parseMoney(`${currency} ${text}`);
  if (!m.ok) throw new TrellisError('invalid_input', `${option}: ${m.error}`);
  return m.value.amountMinor;
}

function line(a: ActivityView): string {
  return `${a.id}  ${a.status.padEnd(14)} ${a.partnerId.padEnd(14)} ${a.fund.padEnd(12)} ${a.startsOn}..${a.endsOn}  ${money(a.requestedMinor, a.currency).padStart(16)}  pre-approved ${money(a.preapprovedMinor, a.currency)}  paid ${money(a.paidMinor, a.currency)}  claim by ${a.claimDeadline}  ${a.title}`;
}

/** Who acts: the person named by --as (checked against the policy), or the operator (every record). */
async function caller(
  ctx: AppContext,
  email: string | undefined,
  action: 'read' | 'write' | 'manage',
  what: string,
) {
  if (!email) return SYSTEM as { actor: typeof SYSTEM.actor; scope: Scope };
  return actingAs(ctx, email, { resource: 'mdf', action }, what);
}

export function registerMdf(program: Command): void {
  const verbose = () => Boolean(program.opts().verbose);
  const mdf = program
    .command('mdf')
    .description('market development funds: activities, claims and fund balances (docs/marketing-funds.md)');

  mdf
    .command('funds')
    .description(
      "a partner's MDF in a program: earned, available, reserved, spent, expired, expiring; and the proposal funds",
    )
    .argument('<program>', 'program id or code')
    .option('--partner <id>', 'the partner (without it: the proposal funds only)')
    .option('--as-of <date>', 'the day (default today)')
    .option('--period <code>', "the proposal funds' period (default: that of the day)")
    .option('--json', 'print JSON')
    .action(
      async (code: string, opts: { partner?: string; asOf?: string; period?: string; json?: boolean }) => {
        await runCommand(verbose(), () =>
          withContext(async (ctx) => {
            const f = await fundBalances(ctx, SYSTEM_SCOPE, {
              programId: code,
              partnerId: opts.partner,
              asOf: opts.asOf,
              period: opts.period,
            });
            if (opts.json) {
              process.stdout.write(`${JSON.stringify(f)}\n`);
              return;
            }
            const out = [
              `${code}${f.partnerId ? ` ${f.partnerId} (zone ${f.zone ?? '-'})` : ''} on ${f.asOf}`,
            ];
            if (f.earned) {
              const e = f.earned;
              const m = (n: number) => money(n, e.currency);
              out.push(
                `  earned MDF: earned ${m(e.earnedMinor)}, available ${m(e.availableMinor)}, reserved ${m(e.reservedMinor)}, spent ${m(e.spentMinor)}, expired ${m(e.expiredMinor)}${e.pending ? `; ${m(e.pending)} more when the current period ends` : ''}`,
                ...e.expiring.map((x) => `    ${m(x.amountMinor).padStart(16)} expires on ${x.on}`),
              );
            }
            for (const p of f.proposalFunds)
              out.push(
                `  ${p.code} (${p.name}) ${p.period}: ${money(p.amountMinor, p.currency)}, reserved ${money(p.reservedMinor, p.currency)}, paid ${money(p.paidMinor, p.currency)}, left ${money(p.leftMinor, p.currency)}`,
              );
            if (f.activityTypes.length)
              out.push(
                `  activity types: ${f.activityTypes.map((t) => `${t.code} (proof: ${t.proof.join(', ')})`).join('; ')}`,
              );
            process.stdout.write(`${out.join('\n')}\n`);
          }),
        );
      },
    );

  mdf
    .command('activities')
    .description('MDF activities, newest first')
    .option('--program <program>', 'program id or code')
    .option('--partner <id>', 'partner id')
    .option('--status <status>', ACTIVITY_STATUSES.join(', '))
    .option('--zone <zone>', 'program zone')
    .option('--period <code>', 'fiscal quarter or proposal fund period, e.g. FY22-Q2')
    .option('--fund <fund>', 'earned or a proposal fund code')
    .option('--limit <n>', 'at most n activities', '100')
    .option('--json', 'print JSON lines')
    .action(
      async (opts: {
        program?: string;
        partner?: string;
        status?: string;
        zone?: string;
        period?: string;
        fund?: string;
        limit: string;
        json?: boolean;
      }) => {
        await runCommand(verbose(), () =>
          withContext(async (ctx) => {
            const limit = Number(opts.limit);
            if (!Number.isInteger(limit) || limit < 1 || limit > 500)
              throw new TrellisError('invalid_input', '--limit must be 1 to 500');
            const page = await listMdfActivities(
              ctx,
              SYSTEM_SCOPE,
              {
                programId: opts.program,
                partnerId: opts.partner,
                status: opts.status,
                zone: opts.zone,
                period: opts.period,
                fund: opts.fund,
              },
              { limit, sort: 'createdAt', direction: 'desc' },
            );
            for (const a of page.items)
              process.stdout.write(opts.json ? `${JSON.stringify(a)}\n` : `${line(a)}\n`);
            if (!opts.json && page.items.length === 0) process.stdout.write('no MDF activities\n');
          }),
        );
      },
    );

  mdf
    .command('show')
    .description('one activity: its history, proof files, links, deadline and return')
    .argument('<activity>', 'activity id')
    .option('--json', 'print JSON')
    .action(async (id: string, opts: { json?: boolean }) => {
      await runCommand(verbose(), () =>
        withContext(async (ctx) => {
          const a = await mdfActivityDetail(ctx, SYSTEM_SCOPE, id);
          if (opts.json) {
            process.stdout.write(`${JSON.stringify(a)}\n`);
            return;
          }
          const out = [
            line(a),
            `  ${a.type}${a.typeName ? ` (${a.typeName})` : ''}; proof required: ${a.requiredProof.join(', ') || 'none'}; zone ${a.zone}, ${a.quarter}${a.fundPeriod ? `, fund period ${a.fundPeriod}` : ''}`,
            `  claim deadline ${a.deadline.on}${a.deadline.passed ? ' (passed)' : ` (${a.deadline.daysLeft} day(s) left)`}`,
            a.decisionReason ? `  reason: ${a.decisionReason}` : '',
            ...a.history.map(
              (h) =>
                `  ${String(h.seq).padStart(2)}. ${h.day} ${h.action.padEnd(10)} -> ${h.status.padEnd(14)} ${h.amountMinor === null ? '' : money(h.amountMinor, a.currency)}${h.reason ? `  "${h.reason}"` : ''}`,
            ),
            ...a.files.map((f) => `  claim ${f.claimSeq}: ${f.kind} ${f.fileId}`),
            ...a.links.map((l) => `  linked ${l.kind} ${l.targetId}`),
            `  return: ${a.roi.registrations} registration(s), ${a.roi.orders} order(s) worth ${money(a.roi.orderRevenueMinor, a.currency)}${a.roi.revenuePerSpent === null ? '' : `, ${a.roi.revenuePerSpent} per unit paid`}`,
          ];
          process.stdout.write(`${out.filter((l) => l !== '').join('\n')}\n`);
        }),
      );
    });

  mdf
    .command('propose')
    .description('propose an activity, as a partner admin (audited)')
    .argument('<program>', 'program id or code')
    .requiredOption('--as <email>', 'the partner admin proposing it')
    .requiredOption('--type <code>', "one of the program's activity types")
    .requiredOption('--title <title>', 'what the activity is')
    .requiredOption('--starts <date>', 'first day')
    .requiredOption('--ends <date>', 'last day')
    .requiredOption('--amount <amount>', "what it asks for, in the fund's currency, e.g. 2500.00")
    .option('--fund <fund>', 'earned (default) or a proposal fund code', 'earned')
    .option('--description <text>', 'what will be done')
    .option('--expected-outcome <text>', 'what it is expected to bring')
    .option('--json', 'print the activity as JSON')
    .action(
      async (
        code: string,
        opts: {
          as: string;
          type: string;
          title: string;
          starts: string;
          ends: string;
          amount: string;
          fund: string;
          description?: string;
          expectedOutcome?: string;
          json?: boolean;
        },
      ) => {
        await runCommand(verbose(), () =>
          withContext(async (ctx) => {
            const who = await caller(ctx, opts.as, 'write', 'proposing an activity');
            const p = await programVersions(ctx, who.scope, code);
            const def = p.definitions.at(-1);
            const fund = def?.marketingFunds?.proposalFunds.find((f) => f.code === opts.fund);
            const currency = fund?.amount.currency ?? def?.currency ?? 'USD';
            const a = await proposeActivity(ctx, who, {
              programId: code,
              type: opts.type,
              title: opts.title,
              description: opts.description,
              expectedOutcome: opts.expectedOutcome,
              startsOn: opts.starts,
              endsOn: opts.ends,
              amountMinor: minorOf(opts.amount, currency, '--amount'),
              fund: opts.fund,
            });
            process.stdout.write(opts.json ? `${JSON.stringify(a)}\n` : `proposed ${line(a)}\n`);
          }),
        );
      },
    );

  mdf
    .command('decide')
    .description(
      'pre-approve or refuse a proposal, approve or reject a claim, as a vendor admin or channel manager (audited)',
    )
    .argument('<activity>', 'activity id')
    .argument('<action>', 'preapprove, refuse, approve or reject')
    .requiredOption('--as <email>', 'the vendor admin or channel manager deciding')
    .option('--amount <amount>', 'pre-approve or pay this much (default: what was asked or claimed)')
    .option('--reason <text>', 'why (required to refuse or reject)')
    .option('--json', 'print the activity as JSON')
    .action(
      async (
        id: string,
        action: string,
        opts: { as: string; amount?: string; reason?: string; json?: boolean },
      ) => {
        await runCommand(verbose(), () =>
          withContext(async (ctx) => {
            if (!['preapprove', 'refuse', 'approve', 'reject'].includes(action))
              throw new TrellisError(
                'invalid_input',
                `<action> must be preapprove, refuse, approve or reject, not ${action}`,
              );
            const who = await caller(ctx, opts.as, 'manage', 'deciding an MDF activity');
            const current = await mdfActivityDetail(ctx, who.scope, id);
            const a = await decideMdfActivity(ctx, who, id, {
              action: action as 'preapprove' | 'refuse' | 'approve' | 'reject',
              amountMinor:
                opts.amount === undefined ? undefined : minorOf(opts.amount, current.currency, '--amount'),
              reason: opts.reason,
            });
            process.stdout.write(opts.json ? `${JSON.stringify(a)}\n` : `${line(a)}\n`);
          }),
        );
      },
    );

  mdf
    .command('claim')
    .description('claim what an activity cost, with its proof files, as a partner admin (audited)')
    .argument('<activity>', 'activity id')
    .requiredOption('--as <email>', 'the partner admin claiming')
    .requiredOption('--amount <amount>', 'what it cost, at most the pre-approved amount')
    .requiredOption(
      '--file <kind=fileId...>',
      'a proof file uploaded with POST /api/files and its kind, e.g. invoice=fil_...',
    )
    .option('--json', 'print the activity as JSON')
    .action(async (id: string, opts: { as: string; amount: string; file: string[]; json?: boolean }) => {
      await runCommand(verbose(), () =>
        withContext(async (ctx) => {
          const who = await caller(ctx, opts.as, 'write', 'claiming');
          const current = await mdfActivityDetail(ctx, who.scope, id);
          const files = opts.file.map((f) => {
            const [kind, fileId] = f.split('=');
            if (!kind || !fileId)
              throw new TrellisError('invalid_input', `--file ${f}: write it as kind=fileId`);
            return { kind, fileId };
          });
          const a = await claimMdfActivity(ctx, who, id, {
            amountMinor: minorOf(opts.amount, current.currency, '--amount'),
            files,
          });
          process.stdout.write(opts.json ? `${JSON.stringify(a)}\n` : `claimed ${line(a)}\n`);
        }),
      );
    });

  mdf
    .command('expire')
    .description(
      "a program's MDF expiry run: lapse activities past their claim deadline, post earned funds expired unused (a rerun posts nothing new)",
    )
    .argument('<program>', 'program id or code')
    .option('--as-of <date>', 'the day (default today)')
    .option('--json', 'print the result as JSON')
    .action(async (code: string, opts: { asOf?: string; json?: boolean }) => {
      await runCommand(verbose(), () =>
        withContext(async (ctx) => {
          const progress = opts.json ? undefined : createProgress();
          const r = await runMdfExpiry(
            ctx,
            { ...SYSTEM, requestId: null },
            { program: code, asOf: opts.asOf ?? ctx.clock.now().toISOString().slice(0, 10) },
            progress ?? { phase: () => undefined, update: () => undefined },
          );
          progress?.stop();
          if (opts.json) {
            process.stdout.write(`${JSON.stringify(r)}\n`);
            return;
          }
          process.stdout.write(
            `${code} on ${r.asOf}: ${r.lapsed.length} activit${r.lapsed.length === 1 ? 'y' : 'ies'} lapsed, ${r.expiries.length} expiry posting(s), ${money(r.expiredMinor, r.currency ?? 'USD')} expired\n${r.expiries
              .map(
                (e) =>
                  `  ${e.partnerId}  ${e.creditId}  ${money(e.amountMinor, r.currency ?? 'USD')}  ${e.transactionId}\n`,
              )
              .join('')}`,
          );
        }),
      );
    });
}
