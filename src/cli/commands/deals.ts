import type { Command } from 'commander';
import { type AppContext } from '../../app/context.js';
import { dealReasons, getDeal, listDeals } from '../../app/deals/deal-queries.js';
import { reviewDeal, type ReviewInput } from '../../app/deals/deals.js';
import { sweepDeals } from '../../app/deals/sweep.js';
import { SYSTEM_SCOPE } from '../../core/access/scope.js';
import { DEAL_STATUSES } from '../../core/deals/lifecycle.js';
import { formatMoney } from '../../core/money/money.js';
import { TrellisError } from '../../core/shared/errors.js';
import { actingAs } from '../../app/access/acting-as.js';
import { withContext } from '../context.js';
import { runCommand } from '../run.js';

/** States awaiting the vendor: a list of only these is the review queue, sorted by review due time. */
const PENDING = ['submitted', 'under-review', 'info-requested'];

const money = (amountMinor: number, currency: string) => formatMoney({ amountMinor, currency });
const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s.padEnd(n));

function positiveInt(flag: string, v: string | undefined, min = 1): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!/^\d{1,9}$/.test(v) || n < min)
    throw new TrellisError('invalid_input', `${flag}: "${v}" is not a whole number of at least ${min}`);
  return n;
}

async function vendorIdOf(ctx: AppContext, v: string | undefined): Promise<string | undefined> {
  if (!v) return undefined;
  const vendor = await ctx.repos.vendors.get(SYSTEM_SCOPE, v);
  if (!vendor) throw new TrellisError('not_found', `--vendor: no vendor has the slug or id ${v}`);
  return vendor.id;
}

async function programIdOf(ctx: AppContext, p: string | undefined): Promise<string | undefined> {
  if (!p) return undefined;
  const program = await ctx.repos.programs.get(SYSTEM_SCOPE, p);
  if (!program) throw new TrellisError('not_found', `--program: no program has the code or id ${p}`);
  return program.id;
}

type DealView = Awaited<ReturnType<typeof listDeals>>['items'][number] & {
  slaBreached?: boolean;
  escalated?: boolean;
};

/** The column that matters for the state: review due time, protection, or the reason. */
function stateNote(d: DealView): string {
  if (d.status === 'submitted' || d.status === 'under-review')
    return `review due ${d.reviewDueAt ?? '-'}${d.slaBreached ? '  SLA BREACHED' : ''}${d.escalated ? ' (escalated)' : ''}`;
  if (d.status === 'approved' || d.status === 'extended')
    return `protected until ${d.protectedUntil ?? '-'} (${d.protectionDaysLeft ?? 0} days left)${d.extensionRequestedAt ? '  EXTENSION REQUESTED' : ''}`;
  if (d.status === 'rejected') return `reason ${d.reasonCode ?? '-'}`;
  if (d.status === 'won') return `won by order ${d.wonOrderId ?? '-'}`;
  return '';
}

function printDeal(d: DealView): void {
  process.stdout.write(`${d.id}: ${d.status}${stateNote(d) ? `, ${stateNote(d)}` : ''}\n`);
}

export function registerDeals(program: Command): void {
  const verbose = () => Boolean(program.opts().verbose);
  const deals = program
    .command('deals')
    .description(
      'deal registrations: the review queue, one registration with its conflicts, decisions (with --as <reviewer email>), the expiry and SLA sweep',
    );

  deals
    .command('list')
    .description(
      'list registrations (the operator sees every vendor); only pending states (--status submitted,under-review) is the review queue, sorted by review due time',
    )
    .option('--vendor <vendor>', 'vendor slug or id')
    .option('--program <program>', 'program code or id')
    .option('--partner <id>', 'partner id')
    .option('--status <s1,s2>', `comma-separated: ${DEAL_STATUSES.join(', ')}`)
    .option('--breached', 'only reviews past their SLA')
    .option('--expiring-within-days <n>', 'only protection ending within n days')
    .option('--limit <n>', 'at most n registrations', '100')
    .option('--json', 'print JSON lines')
    .action(
      async (opts: {
        vendor?: string;
        program?: string;
        partner?: string;
        status?: string;
        breached?: boolean;
        expiringWithinDays?: string;
        limit: string;
        json?: boolean;
      }) => {
        await runCommand(verbose(), async () => {
          const limit = positiveInt('--limit', opts.limit) ?? 100;
          const expiringWithinDays = positiveInt('--expiring-within-days', opts.expiringWithinDays, 0);
          const statuses = opts.status?.split(',').map((s) => s.trim());
          const queue = statuses !== undefined && statuses.every((s) => PENDING.includes(s));
          await withContext(async (ctx) => {
            const filter = {
              vendor: await vendorIdOf(ctx, opts.vendor),
              program: await programIdOf(ctx, opts.program),
              partner: opts.partner,
              status: opts.status,
              breached: opts.breached,
              expiringWithinDays,
            };
            const items: DealView[] = [];
            let cursor: string | undefined;
            do {
              const page = await listDeals(ctx, SYSTEM_SCOPE, filter, {
                limit: Math.min(500, limit - items.length),
                cursor,
                sort: queue ? 'reviewDueAt' : 'createdAt',
                direction: queue ? 'asc' : 'desc',
              });
              items.push(...page.items);
              cursor = page.nextCursor ?? undefined;
            } while (cursor && items.length < limit);
            if (opts.json) {
              for (const d of items) process.stdout.write(`${JSON.stringify(d)}\n`);
              return;
            }
            if (items.length === 0) {
              process.stdout.write('no registrations\n');
              return;
            }
            process.stdout.write(
              `${'id'.padEnd(26)} ${'status'.padEnd(14)} ${'partner'.padEnd(16)} ${'customer'.padEnd(32)} ${'cc'.padEnd(2)} ${'total'.padStart(18)}  state\n`,
            );
            for (const d of items)
              process.stdout.write(
                `${d.id.padEnd(26)} ${d.status.padEnd(14)} ${cut(d.partnerId, 16)} ${cut(d.customer.name, 32)} ${d.customer.country.padEnd(2)} ${money(d.totalMinor, d.currency).padStart(18)}  ${stateNote(d)}\n`,
              );
            process.stdout.write(
              `${items.length} registration(s)${cursor ? ` (more: raise --limit)` : ''}${queue ? ', sorted by review due time' : ', newest first'}\n`,
            );
          });
        });
      },
    );

  deals
    .command('show')
    .description('one registration with its lines, its history and the conflicts found with their evidence')
    .argument('<dealId>', 'registration id (deal_...)')
    .option('--json', 'print JSON')
    .action(async (id: string, opts: { json?: boolean }) => {
      await runCommand(verbose(), async () => {
        const d = await withContext((ctx) => getDeal(ctx, SYSTEM_SCOPE, id));
        if (opts.json) {
          process.stdout.write(`${JSON.stringify(d)}\n`);
          return;
        }
        process.stdout.write(describeDeal(d));
      });
    });

  deals
    .command('reasons')
    .description("the reason codes a program's reviewers reject with (built-in, then the program's own)")
    .requiredOption('--program <program>', 'program code or id')
    .option('--json', 'print JSON')
    .action(async (opts: { program: string; json?: boolean }) => {
      await runCommand(verbose(), async () => {
        const r = await withContext((ctx) => dealReasons(ctx, SYSTEM_SCOPE, opts.program));
        if (opts.json) {
          process.stdout.write(`${JSON.stringify(r.items)}\n`);
          return;
        }
        for (const reason of r.items)
          process.stdout.write(
            `${reason.code.padEnd(26)} ${reason.label}${reason.builtIn ? '' : '  (program)'}\n`,
          );
      });
    });

  deals
    .command('sweep')
    .description(
      'record what time did now: expire registrations past their protection, flag reviews past their SLA (escalate or approve, as the program says)',
    )
    .option('--json', 'print the counts as JSON')
    .action(async (opts: { json?: boolean }) => {
      await runCommand(verbose(), async () => {
        const r = await withContext((ctx) => sweepDeals(ctx, { limit: 100_000 }));
        if (opts.json) {
          process.stdout.write(`${JSON.stringify(r)}\n`);
          return;
        }
        process.stdout.write(
          `sweep at ${r.at}: ${r.expired} registration(s) expired, ${r.breached} SLA breach(es) flagged (${r.autoApproved} approved automatically)\n`,
        );
      });
    });

  /** A reviewer's decision: `--as` names the vendor person who takes it. */
  const decide = async (
    id: string,
    opts: { as?: string; json?: boolean },
    input: ReviewInput,
    what: string,
  ) => {
    const d = await withContext(async (ctx) => {
      const who = await actingAs(ctx, opts.as, { resource: 'deal', action: 'manage' }, what);
      return reviewDeal(ctx, who, id, input);
    });
    if (opts.json) process.stdout.write(`${JSON.stringify(d)}\n`);
    else printDeal(d);
  };
  const AS = [
    '--as <email>',
    'the reviewer: a vendor admin or channel manager of the vendor (required)',
  ] as const;

  deals
    .command('review')
    .description(
      'take a registration into review (start-review), send it back for more information (request-info), or mark it lost (lose)',
    )
    .argument('<dealId>', 'registration id')
    .option(...AS)
    .requiredOption('--action <action>', 'start-review, request-info or lose')
    .option('--text <text>', 'what the partner reads (required for request-info)')
    .option('--json', 'print the registration as JSON')
    .action(async (id: string, opts: { as?: string; action: string; text?: string; json?: boolean }) => {
      await runCommand(verbose(), async () => {
        const actions = ['start-review', 'request-info', 'lose'] as const;
        const action = actions.find((a) => a === opts.action);
        if (!action)
          throw new TrellisError(
            'invalid_input',
            `--action: expected ${actions.join(', ')} (approve, reject and extend are their own commands)`,
          );
        await decide(id, opts, { action, text: opts.text }, action);
      });
    });

  deals
    .command('approve')
    .description('approve a registration: its protection starts today for the program’s protection days')
    .argument('<dealId>', 'registration id')
    .option(...AS)
    .option('--text <text>', 'a note the partner reads')
    .option('--json', 'print the registration as JSON')
    .action(async (id: string, opts: { as?: string; text?: string; json?: boolean }) => {
      await runCommand(verbose(), () =>
        decide(id, opts, { action: 'approve', text: opts.text }, 'approving'),
      );
    });

  deals
    .command('reject')
    .description(
      'reject a registration with a reason code (trellis deals reasons) and a text the partner reads',
    )
    .argument('<dealId>', 'registration id')
    .option(...AS)
    .requiredOption('--reason <code>', 'reason code from the program list')
    .requiredOption('--text <text>', 'why, for the partner')
    .option('--json', 'print the registration as JSON')
    .action(async (id: string, opts: { as?: string; reason: string; text: string; json?: boolean }) => {
      await runCommand(verbose(), () =>
        decide(id, opts, { action: 'reject', reasonCode: opts.reason, text: opts.text }, 'rejecting'),
      );
    });

  deals
    .command('extend')
    .description(
      "grant the extension a partner asked for (the program's extension days, up to its count), or --refuse it with a reason",
    )
    .argument('<dealId>', 'registration id')
    .option(...AS)
    .option('--refuse', 'refuse the extension (needs --reason and --text)')
    .option('--reason <code>', 'reason code of a refusal')
    .option('--text <text>', 'a note the partner reads (required to refuse)')
    .option('--json', 'print the registration as JSON')
    .action(
      async (
        id: string,
        opts: { as?: string; refuse?: boolean; reason?: string; text?: string; json?: boolean },
      ) => {
        await runCommand(verbose(), () =>
          decide(
            id,
            opts,
            opts.refuse
              ? { action: 'refuse-extension', reasonCode: opts.reason, text: opts.text }
              : { action: 'grant-extension', text: opts.text },
            opts.refuse ? 'refusing an extension' : 'granting an extension',
          ),
        );
      },
    );
}

type DealDetail = Awaited<ReturnType<typeof getDeal>>;

function describeDeal(d: DealDetail): string {
  const out: string[] = [];
  const v = d as DealDetail & {
    slaBreached?: boolean;
    slaBreachedAt?: string | null;
    escalated?: boolean;
    decidedBy?: string | null;
    decidedAt?: string | null;
    partnerName?: string | null;
    conflicts?: {
      kind: string;
      otherId: string;
      score: number;
      decision: string;
      status: string;
      evidence: unknown[];
      other: unknown;
    }[];
  };
  const c = d.customer;
  out.push(`${d.id}: ${d.status}${d.externalRef ? ` (partner reference ${d.externalRef})` : ''}`);
  out.push(`  program    ${d.programId} (vendor ${d.vendorId})`);
  out.push(`  partner    ${d.partnerId}${v.partnerName ? ` (${v.partnerName})` : ''}`);
  out.push(
    `  customer   ${c.name}${c.domain ? `, ${c.domain}` : ''}${c.addressLine ? `, ${c.addressLine}` : ''}${c.city ? `, ${c.city}` : ''}${c.postalCode ? ` ${c.postalCode}` : ''}; ${c.country} (${c.region}), ${c.segment}`,
  );
  out.push(`  total      ${money(d.totalMinor, d.currency)}; expected close ${d.expectedCloseDate}`);
  for (const l of d.lines)
    out.push(
      `    ${String(l.lineNo).padStart(3)}. ${l.family.padEnd(16)} ${money(l.amountMinor, d.currency).padStart(18)}${l.productId ? `  ${l.productId}` : ''}${l.quantity !== null ? ` x${l.quantity}` : ''}${l.description ? `  ${l.description}` : ''}`,
    );
  out.push(`  about      ${d.description}`);
  if (d.submittedAt)
    out.push(
      `  submitted  ${d.submittedAt}${d.reviewDueAt ? `; review due ${d.reviewDueAt}` : ''}${v.slaBreached ? '; SLA BREACHED' : ''}${v.escalated ? ' (escalated)' : ''}`,
    );
  if (v.decidedBy) out.push(`  decided    by ${v.decidedBy} at ${v.decidedAt ?? '-'}`);
  if (d.approvedOn)
    out.push(
      `  protected  ${d.approvedOn}..${d.protectedUntil ?? '-'}${d.protectionDaysLeft !== null ? ` (${d.protectionDaysLeft} days left)` : ''}; ${d.extensionsGranted} extension(s) granted${d.extensionRequestedAt ? `; extension requested ${d.extensionRequestedAt}` : ''}`,
    );
  if (d.reasonCode) out.push(`  reason     ${d.reasonCode}: ${d.reasonText ?? ''}`);
  if (d.wonOrderId) out.push(`  won by     order ${d.wonOrderId}`);
  out.push('  history');
  for (const e of d.history) {
    const by = 'actorId' in e && e.actorId ? `${e.by} ${e.actorId}` : e.by;
    out.push(
      `    ${e.at}  ${e.action.padEnd(17)} ${(e.fromStatus ?? '-').padEnd(14)} -> ${e.toStatus.padEnd(14)} by ${by}${e.reasonCode ? `  [${e.reasonCode}]` : ''}${e.note ? `  ${e.note}` : ''}`,
    );
  }
  const conflicts = v.conflicts ?? [];
  out.push(conflicts.length === 0 ? '  conflicts  none found' : '  conflicts');
  for (const k of conflicts) {
    const o = (k.other ?? {}) as {
      status?: string;
      partnerName?: string | null;
      partnerId?: string;
      name?: string;
      customer?: { name: string };
    };
    const who =
      k.kind === 'registration'
        ? `${o.customer?.name ?? '?'} registered by ${o.partnerName ?? o.partnerId ?? '?'} (${o.status ?? 'gone'})`
        : (o.name ?? '?');
    out.push(`    ${k.kind} ${k.otherId}: ${k.decision}, score ${k.score.toFixed(2)}, ${k.status}: ${who}`);
    for (const ev of k.evidence as { field?: string; score?: number; detail?: string }[])
      out.push(
        `      ${String(ev.field ?? '').padEnd(10)} ${typeof ev.score === 'number' ? ev.score.toFixed(2) : '    '}  ${ev.detail ?? ''}`,
      );
  }
  return `${out.join('\n')}\n`;
}
