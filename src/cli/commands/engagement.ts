import type { Command } from 'commander';
import { actingAs } from '../../app/access/acting-as.js';
import { type AppContext } from '../../app/context.js';
import {
  addNamedAccount,
  listNamedAccounts,
  removeNamedAccount,
  type NamedAccount,
} from '../../app/engagement/named-accounts.js';
import { acceptOffer, declineOffer, lapseOffers } from '../../app/engagement/offers.js';
import { rebuildCoverage } from '../../app/engagement/rebuild.js';
import {
  getCoverage,
  getRouting,
  listCoverage,
  listOffers,
  listRouting,
  type CoverageDetail,
  type CoverageItem,
  type OfferItem,
  type RoutedOrderItem,
} from '../../app/engagement/queries.js';
import type { Permission } from '../../core/access/policy.js';
import { SYSTEM_SCOPE, type Scope } from '../../core/access/scope.js';
import { COVERAGE_STATUSES, type CoverageStatus } from '../../core/engagement/coverage.js';
import { ROUTING_REASONS, type RoutingDecision } from '../../core/engagement/routing.js';
import { REGIONS } from '../../core/model/geography.js';
import { formatMoney } from '../../core/money/money.js';
import { TrellisError } from '../../core/shared/errors.js';
import { withContext } from '../context.js';
import { runCommand } from '../run.js';

/**
 * Rules of engagement from the command line (issue 11): coverage of the vendor's accounts, its
 * direct-named list, the routing log with each decision's candidates, the offers sweep, and a partner's
 * offers (accept, decline). Reads are the vendor's: `--as <email>` names the person whose view it is
 * (a channel manager keeps its regions; a partner sees its own accounts and offers), else `--vendor`
 * reads as the vendor's operator (every region). Changes always name the person with `--as`.
 */

const money = (amountMinor: number, currency: string) => formatMoney({ amountMinor, currency });
const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s.padEnd(n));
const out = (line: string) => process.stdout.write(`${line}\n`);
const jsonLine = (v: unknown) => out(JSON.stringify(v));

function positiveInt(flag: string, v: string | undefined, min = 1): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!/^\d{1,9}$/.test(v) || n < min)
    throw new TrellisError('invalid_input', `${flag}: "${v}" is not a whole number of at least ${min}`);
  return n;
}

function oneOf<T extends string>(flag: string, v: string | undefined, allowed: readonly T[]): T | undefined {
  if (v === undefined) return undefined;
  const found = allowed.find((a) => a === v);
  if (!found) throw new TrellisError('invalid_input', `${flag}: expected one of ${allowed.join(', ')}`);
  return found;
}

function isoDay(flag: string, v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(Date.parse(`${v}T00:00:00Z`)))
    throw new TrellisError('invalid_input', `${flag}: "${v}" is not a date (YYYY-MM-DD)`);
  return v;
}

/**
 * Whose view a read is: the person named by --as (the same policy as a sign-in), else the vendor named
 * by --vendor read by the operator (every region), else the only vendor of the store.
 */
async function readerScope(
  ctx: AppContext,
  opts: { as?: string | undefined; vendor?: string | undefined },
  permission: Permission,
  what: string,
): Promise<Scope> {
  if (opts.as) return (await actingAs(ctx, opts.as, permission, what)).scope;
  if (opts.vendor) {
    const vendor = await ctx.repos.vendors.get(SYSTEM_SCOPE, opts.vendor);
    if (!vendor) throw new TrellisError('not_found', `--vendor: no vendor has the slug or id ${opts.vendor}`);
    return { kind: 'vendor', vendorId: vendor.id, regions: [] };
  }
  const vendors = await ctx.store.db.selectFrom('vendors').select(['id', 'slug']).orderBy('slug').execute();
  if (vendors.length === 1)
    return { kind: 'vendor', vendorId: (vendors[0] as { id: string }).id, regions: [] };
  throw new TrellisError(
    'invalid_input',
    `${what}: name the vendor with --vendor <slug> (${vendors.map((v) => v.slug).join(', ') || 'none in this store'}) or a person with --as <email>`,
  );
}

/** A change made by a person: --as is required and the policy decides, exactly as over HTTP. */
async function person(
  ctx: AppContext,
  as: string | undefined,
  permission: Permission,
  what: string,
  who: string,
) {
  if (!as) throw new TrellisError('invalid_input', `${what}: name the ${who} with --as <email>`);
  return actingAs(ctx, as, permission, what);
}

/** Every page of a paged query, up to `limit` items. */
async function allPages<T>(
  limit: number,
  fetch: (page: {
    limit: number;
    cursor: string | undefined;
  }) => Promise<{ items: T[]; nextCursor: string | null }>,
): Promise<{ items: T[]; more: boolean }> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await fetch({ limit: Math.min(500, limit - items.length), cursor });
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && items.length < limit);
  return { items, more: cursor !== undefined };
}

/** A table whose columns are as wide as their widest cell (the last column is not padded). */
function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

const AS_READ = [
  '--as <email>',
  'read as this person (a vendor person, or a partner person: its own view)',
] as const;
const VENDOR = ['--vendor <vendor>', 'vendor slug or id, read as its operator (every region)'] as const;

export function registerEngagement(program: Command): void {
  registerCoverage(program);
  registerRouting(program);
}

// -------------------------------------------------------------------------------------------------
// coverage

function registerCoverage(program: Command): void {
  const verbose = () => Boolean(program.opts().verbose);
  const coverage = program
    .command('coverage')
    .description(
      "rules of engagement: each account's coverage (direct-named, channel-exclusive, open) with the sentence that explains it, and the vendor's direct-named list",
    );

  coverage
    .command('list')
    .description(
      "coverage of the vendor's accounts on a day (today by default); a partner (--as) sees the accounts it sold to",
    )
    .option(...VENDOR)
    .option(...AS_READ)
    .option('--status <status>', COVERAGE_STATUSES.join(', '))
    .option('--partner <id>', 'accounts this partner sold to')
    .option('--region <region>', REGIONS.join(', '))
    .option(
      '--expiring-within <days>',
      'channel-exclusive accounts whose last channel-only day is within n days',
    )
    .option('--q <text>', 'part of the customer name')
    .option('--as-of <date>', 'coverage on this day (YYYY-MM-DD; default today)')
    .option('--limit <n>', 'at most n accounts', '200')
    .option('--json', 'print JSON lines')
    .action(
      async (opts: {
        vendor?: string;
        as?: string;
        status?: string;
        partner?: string;
        region?: string;
        expiringWithin?: string;
        q?: string;
        asOf?: string;
        limit: string;
        json?: boolean;
      }) => {
        await runCommand(verbose(), async () => {
          const limit = positiveInt('--limit', opts.limit) ?? 200;
          const filter = {
            status: oneOf<CoverageStatus>('--status', opts.status, COVERAGE_STATUSES),
            partner: opts.partner,
            region: oneOf('--region', opts.region, REGIONS),
            expiringWithinDays: positiveInt('--expiring-within', opts.expiringWithin, 0),
            q: opts.q,
            asOf: isoDay('--as-of', opts.asOf),
          };
          const { items, more } = await withContext(async (ctx) => {
            const scope = await readerScope(
              ctx,
              opts,
              { resource: 'coverage', action: 'read' },
              'coverage list',
            );
            return allPages(limit, (page) =>
              listCoverage(ctx, scope, filter, { ...page, sort: 'name', direction: 'asc' }),
            );
          });
          if (opts.json) {
            for (const c of items) jsonLine(c);
            return;
          }
          if (items.length === 0) {
            out('no accounts');
            return;
          }
          for (const l of table(
            ['customer', 'name', 'cc', 'region', 'status', 'since', 'through', 'last partner'],
            items.map((c) => [
              c.customerId,
              cut(c.customerName, 32).trimEnd(),
              c.country,
              c.region,
              c.status,
              c.since ?? '-',
              c.through ?? '-',
              lastPartnerOf(c),
            ]),
          ))
            out(l);
          out(
            `${items.length} account(s)${more ? ' (more: raise --limit)' : ''}, on ${filter.asOf ?? 'today'}`,
          );
        });
      },
    );

  coverage
    .command('show')
    .description(
      "one account's coverage with the sentence that explains it, its history, who sold to it and its direct orders",
    )
    .argument('<customerId>', 'customer id (cus_...)')
    .option(...VENDOR)
    .option(...AS_READ)
    .option('--as-of <date>', 'coverage on this day (YYYY-MM-DD; default today)')
    .option('--json', 'print JSON')
    .action(
      async (customerId: string, opts: { vendor?: string; as?: string; asOf?: string; json?: boolean }) => {
        await runCommand(verbose(), async () => {
          const asOf = isoDay('--as-of', opts.asOf);
          const d = await withContext(async (ctx) => {
            const scope = await coverageScope(ctx, opts, customerId);
            return getCoverage(ctx, scope, customerId, asOf);
          });
          if (opts.json) jsonLine(d);
          else process.stdout.write(describeCoverage(d));
        });
      },
    );

  coverage
    .command('rebuild')
    .description(
      "recompute who sold to whom and every account's coverage from the stored orders (after an upgrade from before migration 0015 or a bulk load); each order keeps them in step afterwards",
    )
    .option(...VENDOR)
    .option('--json', 'print JSON')
    .action(async (opts: { vendor?: string; json?: boolean }) => {
      await runCommand(verbose(), async () => {
        const result = await withContext(async (ctx) => {
          const vendorId = opts.vendor
            ? (await ctx.repos.vendors.get(SYSTEM_SCOPE, opts.vendor))?.id
            : undefined;
          if (opts.vendor && !vendorId)
            throw new TrellisError('not_found', `--vendor: no vendor has the slug or id ${opts.vendor}`);
          return rebuildCoverage(ctx, vendorId);
        });
        if (opts.json) jsonLine(result);
        else
          out(
            `rebuilt coverage of ${result.vendors} vendor(s): ${result.channelSales} who-sold-to-whom rows, ${result.accounts} accounts bought through the channel (${result.seconds.toFixed(1)} s)`,
          );
      });
    });

  const named = coverage
    .command('named')
    .description(
      "the vendor's direct-named accounts (served directly, at most the program's maxCount); changes by a vendor admin (--as)",
    );

  named
    .command('list')
    .description('the list with the customers each entry was matched to')
    .option(...VENDOR)
    .option(...AS_READ)
    .option('--status <status>', 'active (default), removed or all')
    .option('--json', 'print JSON lines')
    .action(async (opts: { vendor?: string; as?: string; status?: string; json?: boolean }) => {
      await runCommand(verbose(), async () => {
        const status = oneOf('--status', opts.status, ['active', 'removed', 'all'] as const);
        const list = await withContext(async (ctx) => {
          const scope = await readerScope(
            ctx,
            opts,
            { resource: 'named-account', action: 'read' },
            'coverage named list',
          );
          if (scope.kind !== 'vendor')
            throw new TrellisError('forbidden', 'only the vendor reads its named accounts');
          return listNamedAccounts(ctx, scope, scope.vendorId, { status });
        });
        if (opts.json) {
          for (const a of list.items) jsonLine(a);
          return;
        }
        if (list.items.length > 0)
          for (const l of table(
            ['id', 'name', 'cc', 'domain', 'status', 'source', 'matched customers'],
            list.items.map((a) => [
              a.id,
              a.name,
              a.country,
              a.domain ?? '-',
              a.status,
              a.source,
              a.matches.map((m) => `${m.customerId} ${m.customerName} (${m.score.toFixed(2)})`).join('; ') ||
                '-',
            ]),
          ))
            out(l);
        out(
          `${list.active} active named account(s)${list.maxCount !== null ? ` of at most ${list.maxCount} (the program's maxCount)` : ''}`,
        );
      });
    });

  named
    .command('add')
    .description("list an account the vendor serves directly (refused past the program's maxCount; audited)")
    .argument('<name>', 'the account name (name variants of it are matched)')
    .requiredOption('--country <XX>', 'ISO country code')
    .option('--domain <domain>', 'its web domain (helps matching)')
    .option('--note <text>', 'why it is served directly')
    .option('--as <email>', 'a vendor admin (required)')
    .option('--json', 'print JSON')
    .action(
      async (
        name: string,
        opts: { country: string; domain?: string; note?: string; as?: string; json?: boolean },
      ) => {
        await runCommand(verbose(), async () => {
          const country = opts.country.trim().toUpperCase();
          if (!/^[A-Z]{2}$/.test(country))
            throw new TrellisError(
              'invalid_input',
              `--country: "${opts.country}" is not a two-letter country code`,
            );
          const added = await withContext(async (ctx) => {
            const who = await person(
              ctx,
              opts.as,
              { resource: 'named-account', action: 'manage' },
              'adding a named account',
              'vendor admin',
            );
            return addNamedAccount(ctx, who, {
              name,
              country,
              domain: opts.domain ?? null,
              note: opts.note ?? null,
            });
          });
          if (opts.json) jsonLine(added);
          else printNamed(added, 'added');
        });
      },
    );

  named
    .command('remove')
    .description(
      'take an account off the list, with the reason (audited); its customers become open or channel-exclusive',
    )
    .argument('<id>', 'named account id')
    .requiredOption('--reason <text>', 'why it leaves the list')
    .option('--as <email>', 'a vendor admin (required)')
    .option('--json', 'print JSON')
    .action(async (id: string, opts: { reason: string; as?: string; json?: boolean }) => {
      await runCommand(verbose(), async () => {
        const removed = await withContext(async (ctx) => {
          const who = await person(
            ctx,
            opts.as,
            { resource: 'named-account', action: 'manage' },
            'removing a named account',
            'vendor admin',
          );
          return removeNamedAccount(ctx, who, id, { reason: opts.reason });
        });
        if (opts.json) jsonLine(removed);
        else printNamed(removed, 'removed');
      });
    });
}

function lastPartnerOf(c: CoverageItem): string {
  if (c.yourLastPurchase) return `you, ${c.yourLastPurchase}`;
  if (!c.lastPartnerId) return '-';
  return `${c.lastPartnerName ?? c.lastPartnerId} (${c.lastPartnerId}), ${c.lastChannelDate ?? '-'}`;
}

/** `coverage show` reads as the vendor of the customer unless a person or a vendor is named. */
async function coverageScope(
  ctx: AppContext,
  opts: { as?: string | undefined; vendor?: string | undefined },
  customerId: string,
): Promise<Scope> {
  if (opts.as || opts.vendor)
    return readerScope(ctx, opts, { resource: 'coverage', action: 'read' }, 'coverage show');
  const customer = await ctx.store.db
    .selectFrom('customers')
    .select('vendorId')
    .where('id', '=', customerId)
    .executeTakeFirst();
  if (!customer) throw new TrellisError('not_found', `customer ${customerId} was not found`);
  return { kind: 'vendor', vendorId: customer.vendorId, regions: [] };
}

function printNamed(a: NamedAccount, what: 'added' | 'removed'): void {
  if (what === 'removed') {
    out(`${a.id}: removed "${a.name}" (${a.country}) from the direct-named list: ${a.removalReason ?? ''}`);
    return;
  }
  out(`${a.id}: added "${a.name}" (${a.country}${a.domain ? `, ${a.domain}` : ''}) to the direct-named list`);
  if (a.matches.length === 0)
    out('  matched to no customer yet (new customers are matched when they order direct)');
  for (const m of a.matches) out(`  matched ${m.customerId} ${m.customerName} (score ${m.score.toFixed(2)})`);
}

function describeCoverage(d: CoverageDetail): string {
  const lines: string[] = [];
  lines.push(`${d.customerId}: ${d.customerName} (${d.country}, ${d.region})`);
  lines.push(
    `  status     ${d.status}${d.since ? ` since ${d.since}` : ''}${d.through ? `, channel-only through ${d.through}` : ''}`,
  );
  lines.push(`  why        ${d.sentence}`);
  if (d.yourLastPurchase) lines.push(`  your last  sale on ${d.yourLastPurchase}`);
  if (d.sellers) {
    lines.push(d.sellers.length === 0 ? '  sellers    none through the channel' : '  sellers');
    if (d.sellers.length > 0)
      for (const l of table(
        ['partner', 'role', 'family', 'first', 'last', 'last order', 'orders'],
        d.sellers.map((s) => [
          `${s.partnerName} (${s.partnerId})`,
          s.role,
          s.family,
          s.firstOrderDate,
          s.lastOrderDate,
          s.lastOrderId,
          String(s.ordersCount),
        ]),
      ))
        lines.push(`    ${l}`);
  }
  lines.push(d.history.length === 0 ? '  history    none' : '  history');
  for (const h of d.history) lines.push(`    ${h.onDay}  ${h.kind.padEnd(17)} ${h.sentence}`);
  if (d.routedOrders) {
    lines.push(d.routedOrders.length === 0 ? '  direct orders  none' : '  direct orders');
    for (const r of d.routedOrders)
      lines.push(
        `    ${r.id}  ${r.orderDate}  ${money(r.totalMinor, r.currency).padStart(16)}  ${r.reason.padEnd(21)} ${r.status}`,
      );
  }
  return `${lines.join('\n')}\n`;
}

// -------------------------------------------------------------------------------------------------
// routing

const ROUTED_STATUSES = ['direct', 'offered', 'booked-partner', 'booked-direct'] as const;
const OFFER_STATUSES = ['open', 'accepted', 'declined', 'lapsed'] as const;

function registerRouting(program: Command): void {
  const verbose = () => Boolean(program.opts().verbose);
  const routing = program
    .command('routing')
    .description(
      "rules of engagement for direct orders: the routing log, one decision's candidates, the offers sweep, and a partner's offers (accept, decline)",
    );

  routing
    .command('log')
    .description("every direct order's decision, newest first: kept direct, or offered to partners (and why)")
    .option(...VENDOR)
    .option(...AS_READ)
    .option('--status <status>', ROUTED_STATUSES.join(', '))
    .option('--reason <reason>', ROUTING_REASONS.join(', '))
    .option('--customer <id>', 'one customer')
    .option('--partner <id>', 'offered to or booked through this partner')
    .option('--limit <n>', 'at most n decisions', '100')
    .option('--json', 'print JSON lines')
    .action(
      async (opts: {
        vendor?: string;
        as?: string;
        status?: string;
        reason?: string;
        customer?: string;
        partner?: string;
        limit: string;
        json?: boolean;
      }) => {
        await runCommand(verbose(), async () => {
          const limit = positiveInt('--limit', opts.limit) ?? 100;
          const filter = {
            status: oneOf('--status', opts.status, ROUTED_STATUSES),
            reason: oneOf('--reason', opts.reason, ROUTING_REASONS),
            customer: opts.customer,
            partner: opts.partner,
          };
          const { items, more } = await withContext(async (ctx) => {
            const scope = await readerScope(
              ctx,
              opts,
              { resource: 'routing', action: 'read' },
              'routing log',
            );
            return allPages(limit, (page) =>
              listRouting(ctx, scope, filter, { ...page, sort: 'createdAt', direction: 'desc' }),
            );
          });
          if (opts.json) {
            for (const r of items) jsonLine(r);
            return;
          }
          if (items.length === 0) {
            out('no direct orders decided');
            return;
          }
          for (const l of table(
            ['id', 'order', 'date', 'customer', 'total', 'coverage', 'reason', 'status', 'booked'],
            items.map((r) => [
              r.id,
              `${r.source}/${r.externalId}`,
              r.orderDate,
              cut(r.customerName, 28).trimEnd(),
              money(r.totalMinor, r.currency),
              r.coverageStatus,
              r.reason,
              r.status,
              bookedOf(r),
            ]),
          ))
            out(l);
          out(`${items.length} decision(s)${more ? ' (more: raise --limit)' : ''}, newest first`);
        });
      },
    );

  routing
    .command('show')
    .description(
      'one decision: the sentence, the candidates with the value of each criterion, and the offers made',
    )
    .argument('<routedOrderId>', 'routed order id (from routing log)')
    .option(...VENDOR)
    .option(...AS_READ)
    .option('--json', 'print JSON')
    .action(async (id: string, opts: { vendor?: string; as?: string; json?: boolean }) => {
      await runCommand(verbose(), async () => {
        const d = await withContext(async (ctx) => {
          let scope: Scope;
          if (opts.as || opts.vendor)
            scope = await readerScope(ctx, opts, { resource: 'routing', action: 'read' }, 'routing show');
          else {
            const row = await ctx.store.db
              .selectFrom('routedOrders')
              .select('vendorId')
              .where('id', '=', id)
              .executeTakeFirst();
            if (!row) throw new TrellisError('not_found', `routed order ${id} was not found`);
            scope = { kind: 'vendor', vendorId: row.vendorId, regions: [] };
          }
          return getRouting(ctx, scope, id);
        });
        if (opts.json) jsonLine(d);
        else process.stdout.write(describeRouting(d));
      });
    });

  routing
    .command('sweep')
    .description(
      'record what time did now: offers past their deadline lapse and go to the next candidate (or direct)',
    )
    .option('--json', 'print the count as JSON')
    .action(async (opts: { json?: boolean }) => {
      await runCommand(verbose(), async () => {
        const { at, lapsed } = await withContext(async (ctx) => {
          const at = ctx.clock.now().toISOString();
          let lapsed = 0;
          for (;;) {
            const n = await lapseOffers(ctx, { limit: 500 });
            lapsed += n;
            if (n < 500) break;
          }
          return { at, lapsed };
        });
        if (opts.json) jsonLine({ at, lapsed });
        else out(`sweep at ${at}: ${lapsed} offer(s) lapsed (each went to its next candidate, or direct)`);
      });
    });

  routing
    .command('offers')
    .description(
      "a partner's offers inbox (--as a partner person), or the vendor's offers (--as a vendor person, or --vendor)",
    )
    .option(...AS_READ)
    .option(...VENDOR)
    .option('--status <status>', OFFER_STATUSES.join(', '))
    .option('--partner <id>', "one partner's offers (vendor view)")
    .option('--limit <n>', 'at most n offers', '100')
    .option('--json', 'print JSON lines')
    .action(
      async (opts: {
        as?: string;
        vendor?: string;
        status?: string;
        partner?: string;
        limit: string;
        json?: boolean;
      }) => {
        await runCommand(verbose(), async () => {
          const limit = positiveInt('--limit', opts.limit) ?? 100;
          const status = oneOf('--status', opts.status, OFFER_STATUSES);
          const { items, more } = await withContext(async (ctx) => {
            const scope = await readerScope(
              ctx,
              opts,
              { resource: 'offer', action: 'read' },
              'routing offers',
            );
            return allPages(limit, (page) =>
              listOffers(
                ctx,
                scope,
                { status, partner: opts.partner },
                { ...page, sort: 'deadline', direction: 'asc' },
              ),
            );
          });
          if (opts.json) {
            for (const o of items) jsonLine(o);
            return;
          }
          if (items.length === 0) {
            out('no offers');
            return;
          }
          for (const o of items) printOffer(o);
          out(`${items.length} offer(s)${more ? ' (more: raise --limit)' : ''}, by deadline`);
        });
      },
    );

  routing
    .command('accept')
    .description(
      'accept an offer before its deadline: the customer order is booked through you (or your distributor)',
    )
    .argument('<offerId>', 'offer id (from routing offers)')
    .option('--distributor <id>', 'book it through this distributor (one that supplies you)')
    .option('--as <email>', 'a partner admin or sales rep of the partner offered (required)')
    .option('--json', 'print JSON')
    .action(async (offerId: string, opts: { distributor?: string; as?: string; json?: boolean }) => {
      await runCommand(verbose(), async () => {
        const r = await withContext(async (ctx) => {
          const who = await person(
            ctx,
            opts.as,
            { resource: 'offer', action: 'write' },
            'accepting an offer',
            'partner person',
          );
          return acceptOffer(ctx, who, offerId, { distributorId: opts.distributor ?? null });
        });
        if (opts.json) jsonLine(r);
        else
          out(
            `${r.offerId}: accepted; order ${r.orderId} booked through you${opts.distributor ? ` (via ${opts.distributor})` : ''} (routed order ${r.routedOrderId})`,
          );
      });
    });

  routing
    .command('decline')
    .description(
      'decline an offer with a reason: it goes to the next candidate (or direct when none is left)',
    )
    .argument('<offerId>', 'offer id')
    .requiredOption('--reason <text>', 'why (the vendor reads it)')
    .option('--as <email>', 'a partner admin or sales rep of the partner offered (required)')
    .option('--json', 'print JSON')
    .action(async (offerId: string, opts: { reason: string; as?: string; json?: boolean }) => {
      await runCommand(verbose(), async () => {
        const r = await withContext(async (ctx) => {
          const who = await person(
            ctx,
            opts.as,
            { resource: 'offer', action: 'write' },
            'declining an offer',
            'partner person',
          );
          return declineOffer(ctx, who, offerId, { reason: opts.reason });
        });
        if (opts.json) jsonLine(r);
        else out(`${r.offerId}: declined (it goes to the next candidate, or direct when none is left)`);
      });
    });
}

function bookedOf(r: RoutedOrderItem): string {
  if (r.status === 'booked-partner')
    return `${r.bookedPartnerName ?? r.bookedPartnerId ?? '?'} (${r.orderId ?? '-'})`;
  if (r.orderId) return r.orderId;
  return '-';
}

function printOffer(o: OfferItem): void {
  out(
    `${o.id}: ${o.status}, rank ${o.rank}${o.partnerName ? `, ${o.partnerName} (${o.partnerId})` : ''}; ${o.vendorName}: ${o.customerName} (${o.customerId}), ${money(o.totalMinor, o.currency)} on ${o.orderDate}`,
  );
  const when =
    o.status === 'open'
      ? `answer before ${o.deadline}`
      : `${o.status} at ${o.answeredAt ?? o.deadline}${o.declineReason ? `: ${o.declineReason}` : ''}`;
  out(`  offered ${o.offeredAt}; ${when}${o.orderId ? `; order ${o.orderId}` : ''}`);
  for (const l of o.lines) out(`    ${l.productId} x${l.quantity} at ${money(l.unitPriceMinor, o.currency)}`);
  out(`  why: ${o.why.trim()}`);
}

type RoutingDetail = Awaited<ReturnType<typeof getRouting>>;

function describeRouting(d: RoutingDetail): string {
  const lines: string[] = [];
  const decision: RoutingDecision = d.decision;
  lines.push(`${d.id}: ${d.status} (${d.reason})`);
  lines.push(
    `  order      ${d.source}/${d.externalId} of ${d.orderDate}: ${d.customerName} (${d.customerId}, ${d.region}), ${money(d.totalMinor, d.currency)}`,
  );
  lines.push(`  coverage   ${d.coverageStatus}`);
  lines.push(`  decision   ${d.sentence}`);
  if (d.orderId)
    lines.push(
      `  booked     order ${d.orderId}${d.bookedPartnerId ? ` through ${d.bookedPartnerName ?? d.bookedPartnerId} (${d.bookedPartnerId})` : ' direct'}${d.bookedAt ? ` at ${d.bookedAt}` : ''}`,
    );
  if (decision.candidates.length > 0 || decision.considered > 0) {
    const rotation = decision.rotation
      ? `; rotation ${decision.rotation.counter}, ${decision.rotation.tied} tied with the best, turn starts at ${decision.rotation.start}`
      : '';
    lines.push(
      `  candidates ${decision.candidates.length} of ${decision.considered} partner(s) considered${decision.atCapacity > 0 ? `, ${decision.atCapacity} at their limit of open offers` : ''}${rotation}`,
    );
    lines.push(
      `  criteria   ${decision.criteria.length > 0 ? decision.criteria.join(', ') : 'none (round-robin only)'}`,
    );
    if (decision.candidates.length > 0)
      for (const l of table(
        ['rank', 'partner', 'incumbent', ...decision.criteria],
        decision.candidates.map((c) => [
          String(c.rank),
          `${c.name} (${c.partnerId})`,
          c.incumbent ? 'yes' : 'no',
          ...decision.criteria.map((s) => c.values[s] ?? '-'),
        ]),
      ))
        lines.push(`    ${l}`);
  }
  lines.push(d.offers.length === 0 ? '  offers     none' : '  offers');
  for (const o of d.offers)
    lines.push(
      `    ${o.id}  rank ${o.rank}  ${`${o.partnerName ?? ''} (${o.partnerId})`.padEnd(34)} ${o.status.padEnd(8)} offered ${o.offeredAt}, deadline ${o.deadline}${o.answeredAt ? `, answered ${o.answeredAt}` : ''}${o.declineReason ? `: ${o.declineReason}` : ''}`,
    );
  return `${lines.join('\n')}\n`;
}
