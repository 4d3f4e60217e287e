import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { actingAs } from '../../src/app/access/acting-as.js';
import type { AppContext } from '../../src/app/context.js';
import { ingestOrder } from '../../src/app/orders/ingest-order.js';
import { publishDocument } from '../../src/app/programs/publish-document.js';
import { trellis } from '../support/cli.js';
import { dealDataDir } from '../support/cli-deals.js';
import { ROOT } from '../support/fixtures.js';

const ORDER_WRITE = { resource: 'order', action: 'write' } as const;

function jsonLines(stdout: string): Record<string, unknown>[] {
  return stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** A one-line order of a PowerEdge R740 (USD 12,000: below the Dell program's routing threshold). */
function orderOf(externalId: string, customerId: string, orderDate: string, resellerId: string | null) {
  return {
    source: 'erp',
    externalId,
    orderDate,
    currency: 'USD',
    customerId,
    channel: resellerId ? ('partner' as const) : ('direct' as const),
    resellerId,
    lines: [{ productId: 'prd_srv', quantity: 1, unitPriceMinor: 1_200_000 }],
  };
}

/**
 * A later version of the Dell program that allows 4 direct-named accounts (the 3 of the program file are
 * listed already). It is the latest, so the named list's limit is read from it.
 */
async function publishSmallNamedList(ctx: AppContext): Promise<void> {
  const text = (await readFile(join(ROOT, 'programs', 'dell-emc-fy18.yaml'), 'utf8'))
    .replace(/^version: FY18$/m, 'version: FY19-test')
    .replace(/from: 2017-02-01 # public: one program from 1 February 2017/, 'from: 2018-02-03')
    .replace(/to: 2018-02-02 # end of Dell FY18/, 'to: 2019-02-01')
    .replace(/^ {2}effective: 2017-02-01$/m, '  effective: 2018-02-03')
    .replace(/maxCount: 150/, 'maxCount: 4');
  const out = await ctx.store.db
    .transaction()
    .execute((trx) => publishDocument(trx, ctx, text, 'dell-fy19-test.yaml'));
  expect(out.kind).toBe('program');
}

describe('trellis coverage and routing', () => {
  let env: Record<string, string>;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    ({ env } = await dealDataDir(async ({ ctx, at }) => {
      await publishSmallNamedList(ctx);
      const admin = await actingAs(ctx, 'admin@dell.test', ORDER_WRITE, 'ordering');
      // Alpha sells to Acme through the channel: Acme is channel-exclusive to the channel for 3 years.
      const sold = await ingestOrder(ctx, admin, orderOf('SO-P1', 'cus_acme', '2017-06-01', 'ptn_alpha'));
      expect(sold.status).toBe('created');
      // Acme's direct order goes to Alpha, its incumbent reseller.
      const direct = await ingestOrder(ctx, admin, orderOf('SO-D1', 'cus_acme', '2017-07-03', null));
      expect(direct).toMatchObject({
        status: 'routed',
        routing: { reason: 'channel-exclusive', offeredTo: { partnerId: 'ptn_alpha' } },
      });
      if (direct.status !== 'routed' || !direct.routing.offeredTo) throw new Error('not routed');
      ids.routed = direct.routing.routedOrderId;
      ids.offer = direct.routing.offeredTo.offerId;
      // Globex (bought through Bravo in the fixture) orders direct; offered 100 hours ago, its 48 hours are over.
      const late = await ingestOrder(at(-100), admin, orderOf('SO-D2', 'cus_globex', '2017-08-01', null));
      expect(late).toMatchObject({ status: 'routed', routing: { reason: 'channel-exclusive' } });
      if (late.status !== 'routed' || !late.routing.offeredTo) throw new Error('not routed');
      ids.late = late.routing.routedOrderId;
      ids.lateOffer = late.routing.offeredTo.offerId;
      ids.lateFirst = late.routing.offeredTo.partnerId;
    }));
  }, 240_000);

  it('prints help for the coverage and routing commands', () => {
    for (const args of [
      ['coverage', 'named', 'add', '--help'],
      ['routing', 'show', '--help'],
    ]) {
      const res = trellis(args);
      expect(res.code, args.join(' ')).toBe(0);
      expect(res.stdout).toMatch(/Usage: trellis/);
    }
  }, 240_000);

  it('shows the channel-exclusive account with its sentence, the seller and the direct order', () => {
    const show = trellis(['coverage', 'show', 'cus_acme', '--as-of', '2017-07-03'], env);
    expect(show.code, show.stderr).toBe(0);
    expect(show.stdout).toMatch(/^cus_acme: Acme Corporation \(GB, emea\)$/m);
    expect(show.stdout).toContain(
      'status     channel-exclusive since 2017-03-10, channel-only through 2020-05-31',
    );
    expect(show.stdout).toContain(
      'why        channel-exclusive since 2017-03-10: last bought through Alpha Systems Ltd on 2017-06-01',
    );
    expect(show.stdout).toMatch(
      /Alpha Systems Ltd \(ptn_alpha\)\s+reseller\s+servers\s+2017-03-10\s+2017-06-01/,
    );
    expect(show.stdout).toContain(ids.routed);

    // The window's end: channel-only through D + 3 years - 1 day, open on D + 3 years.
    const last = trellis(['coverage', 'list', '--vendor', 'dell', '--as-of', '2020-05-31', '--json'], env);
    expect(last.code, last.stderr).toBe(0);
    expect(jsonLines(last.stdout).find((c) => c.customerId === 'cus_acme')).toMatchObject({
      status: 'channel-exclusive',
      through: '2020-05-31',
    });
    const open = trellis(
      ['coverage', 'list', '--vendor', 'dell', '--as-of', '2020-06-01', '--status', 'open', '--json'],
      env,
    );
    expect(jsonLines(open.stdout).map((c) => c.customerId)).toContain('cus_acme');
  }, 240_000);

  it('lists coverage as a table, and a partner sees only the accounts it sold to', () => {
    const list = trellis(
      ['coverage', 'list', '--vendor', 'dell', '--status', 'channel-exclusive', '--as-of', '2017-07-03'],
      env,
    );
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toMatch(
      /^cus_acme\s+Acme Corporation\s+GB\s+emea\s+channel-exclusive\s+2017-03-10\s+2020-05-31\s+Alpha/m,
    );
    // Globex too: Bravo sold to it in the fixture.
    expect(list.stdout).toMatch(/^2 account\(s\), on 2017-07-03$/m);

    const alpha = trellis(
      ['coverage', 'list', '--as', 'admin@alpha.test', '--as-of', '2017-07-03', '--json'],
      env,
    );
    expect(alpha.code, alpha.stderr).toBe(0);
    // Alpha's own accounts (Dell's Acme, and VMware's Acme it sold to later), never Bravo's Globex.
    const mine = jsonLines(alpha.stdout);
    expect(mine).toContainEqual(
      expect.objectContaining({ customerId: 'cus_acme', yourLastPurchase: '2017-06-01' }),
    );
    expect(mine.map((c) => c.customerId)).not.toContain('cus_globex');
    const bravo = trellis(['coverage', 'list', '--as', 'admin@bravo.test', '--json'], env);
    expect(bravo.code, bravo.stderr).toBe(0);
    expect(jsonLines(bravo.stdout).map((c) => c.customerId)).toEqual(['cus_globex']);
  }, 240_000);

  it('logs the routed order with its reason and shows its candidates and offer', () => {
    const log = trellis(['routing', 'log', '--vendor', 'dell', '--reason', 'channel-exclusive'], env);
    expect(log.code, log.stderr).toBe(0);
    expect(log.stdout).toMatch(
      new RegExp(
        `^${ids.routed}\\s+erp/SO-D1\\s+2017-07-03\\s+Acme Corporation\\s+USD 12,000.00\\s+channel-exclusive\\s+channel-exclusive\\s+offered`,
        'm',
      ),
    );
    const json = trellis(['routing', 'log', '--vendor', 'dell', '--json'], env);
    expect(
      jsonLines(json.stdout)
        .map((r) => r.reason)
        .sort(),
    ).toEqual(['channel-exclusive', 'channel-exclusive']);

    const show = trellis(['routing', 'show', ids.routed as string], env);
    expect(show.code, show.stderr).toBe(0);
    expect(show.stdout).toMatch(new RegExp(`^${ids.routed}: offered \\(channel-exclusive\\)$`, 'm'));
    expect(show.stdout).toContain('offered to Alpha Systems Ltd: Acme Corporation is channel-exclusive');
    expect(show.stdout).toMatch(/rank\s+partner\s+incumbent\s+incumbent-reseller\s+highest-tier/);
    expect(show.stdout).toMatch(
      /^ {4}1\s+Alpha Systems Ltd \(ptn_alpha\)\s+yes\s+sold to Acme Corporation through the channel, last on 2017-06-01/m,
    );
    expect(show.stdout).toMatch(
      new RegExp(`${ids.offer}\\s+rank 1\\s+Alpha Systems Ltd \\(ptn_alpha\\)\\s+open`),
    );
  }, 240_000);

  it("lists a partner's offers and accepts one as the partner: the order is booked through it", () => {
    const inbox = trellis(['routing', 'offers', '--as', 'admin@alpha.test', '--status', 'open'], env);
    expect(inbox.code, inbox.stderr).toBe(0);
    expect(inbox.stdout).toContain(
      `${ids.offer}: open, rank 1; Dell Technologies: Acme Corporation (cus_acme)`,
    );
    expect(inbox.stdout).toContain('why: Acme Corporation bought through you');

    const other = trellis(['routing', 'accept', ids.offer as string, '--as', 'admin@bravo.test'], env);
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(/was not found/);
    const noAs = trellis(['routing', 'accept', ids.offer as string], env);
    expect(noAs.code).toBe(1);
    expect(noAs.stderr).toContain('accepting an offer: name the partner person with --as <email>');

    const accepted = trellis(
      ['routing', 'accept', ids.offer as string, '--as', 'admin@alpha.test', '--json'],
      env,
    );
    expect(accepted.code, accepted.stderr).toBe(0);
    const r = JSON.parse(accepted.stdout) as { orderId: string; status: string };
    expect(r).toMatchObject({ offerId: ids.offer, status: 'accepted', routedOrderId: ids.routed });

    const again = trellis(['routing', 'accept', ids.offer as string, '--as', 'admin@alpha.test'], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`offer ${ids.offer} was already accepted`);

    const log = trellis(['routing', 'log', '--vendor', 'dell', '--status', 'booked-partner', '--json'], env);
    expect(jsonLines(log.stdout)).toEqual([
      expect.objectContaining({ id: ids.routed, orderId: r.orderId, bookedPartnerId: 'ptn_alpha' }),
    ]);
  }, 240_000);

  it('refuses a named account past the program maxCount, with the reason', () => {
    const list = trellis(['coverage', 'named', 'list', '--vendor', 'dell'], env);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/^3 active named account\(s\) of at most 4 \(the program's maxCount\)$/m);
    expect(list.stdout).toMatch(/Northwind Global Bank\s+US\s+northwind-bank\.example\s+active\s+program/);

    const partner = trellis(
      ['coverage', 'named', 'add', 'Tailspin Toys', '--country', 'US', '--as', 'admin@alpha.test'],
      env,
    );
    expect(partner.code).toBe(1);
    expect(partner.stderr).toMatch(/--as admin@alpha\.test: .*may not manage named-account/);

    const added = trellis(
      [
        'coverage',
        'named',
        'add',
        'Globex 100% Ltd',
        '--country',
        'US',
        '--note',
        'global agreement',
        '--as',
        'admin@dell.test',
      ],
      env,
    );
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toMatch(/^dna_\w+: added "Globex 100% Ltd" \(US\) to the direct-named list$/m);
    expect(added.stdout).toMatch(/^ {2}matched cus_globex Globex 100% Ltd \(score \d\.\d\d\)$/m);
    const namedId = /^(\S+): added/m.exec(added.stdout)?.[1] as string;

    const full = trellis(
      ['coverage', 'named', 'add', 'Tailspin Toys', '--country', 'US', '--as', 'admin@dell.test'],
      env,
    );
    expect(full.code).toBe(1);
    expect(full.stderr).toContain(
      'trellis: the program allows at most 4 direct-named accounts and 4 are listed; remove one first',
    );
    expect(full.stderr).toContain('body: the list is full (maxCount 4)');

    const globex = trellis(['coverage', 'show', 'cus_globex', '--json'], env);
    expect(JSON.parse(globex.stdout)).toMatchObject({ status: 'direct-named' });

    const removed = trellis(
      ['coverage', 'named', 'remove', namedId, '--reason', 'agreement ended', '--as', 'admin@dell.test'],
      env,
    );
    expect(removed.code, removed.stderr).toBe(0);
    expect(removed.stdout).toBe(
      `${namedId}: removed "Globex 100% Ltd" (US) from the direct-named list: agreement ended\n`,
    );
    const after = trellis(['coverage', 'named', 'list', '--vendor', 'dell'], env);
    expect(after.stdout).toMatch(/^3 active named account\(s\) of at most 4/m);
  }, 240_000);

  it('sweeps: an offer past its deadline lapses and goes to the next candidate', () => {
    const sweep = trellis(['routing', 'sweep', '--json'], env);
    expect(sweep.code, sweep.stderr).toBe(0);
    expect(JSON.parse(sweep.stdout)).toMatchObject({ lapsed: 1 });
    const again = trellis(['routing', 'sweep'], env);
    expect(again.stdout).toMatch(/^sweep at \S+: 0 offer\(s\) lapsed/);

    const show = trellis(['routing', 'show', ids.late as string, '--json'], env);
    expect(show.code, show.stderr).toBe(0);
    const d = JSON.parse(show.stdout) as {
      status: string;
      offers: { id: string; rank: number; status: string; partnerId: string }[];
    };
    expect(d.offers[0]).toMatchObject({
      id: ids.lateOffer,
      rank: 1,
      status: 'lapsed',
      partnerId: ids.lateFirst,
    });
    expect(d.status).toBe('offered');
    expect(d.offers[1]).toMatchObject({ rank: 2, status: 'open' });
    expect(d.offers[1]?.partnerId).not.toBe(ids.lateFirst);
  }, 240_000);

  it('declines with a reason: the order goes on down the list', () => {
    const show = trellis(['routing', 'show', ids.late as string, '--json'], env);
    const d = JSON.parse(show.stdout) as { offers: { id: string; status: string; partnerId: string }[] };
    const open = d.offers.find((o) => o.status === 'open');
    if (!open) throw new Error('no open offer');
    const email = `admin@${open.partnerId.replace(/^ptn_/, '')}.test`;
    const declined = trellis(
      ['routing', 'decline', open.id, '--reason', 'no capacity this month', '--as', email],
      env,
    );
    expect(declined.code, declined.stderr).toBe(0);
    expect(declined.stdout).toBe(
      `${open.id}: declined (it goes to the next candidate, or direct when none is left)\n`,
    );
    const text = trellis(['routing', 'show', ids.late as string], env);
    expect(text.stdout).toMatch(new RegExp(`${open.id}\\s+rank 2 .*declined .*: no capacity this month`));
  }, 240_000);
});
