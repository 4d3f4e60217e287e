import { createDemoWorld, DEMO_SCALES, type DemoScale } from '../src/core/demo/index.js';

/**
 * Times demo-world generation alone, without writing anything, and reports the world's shape. Orders
 * are generated twice: as objects (with the shape statistics) and as the flat rows the loader binds.
 *   npm run bench -- demo-generation [--scale small|medium|large] [--seed N] [--json]
 */
export async function demoGenerationBench(args: string[]): Promise<Record<string, unknown>> {
  const opt = (name: string, fallback: string) => {
    const i = args.indexOf(name);
    return i >= 0 && args[i + 1] ? (args[i + 1] as string) : fallback;
  };
  const scale = opt('--scale', 'small') as DemoScale;
  if (!(scale in DEMO_SCALES)) throw new Error(`unknown scale ${scale}`);
  const seed = Number(opt('--seed', '1'));

  const t0 = performance.now();
  const world = createDemoWorld({
    scale,
    seed,
    vendors: [
      {
        id: 'vnd_dell',
        slug: 'dell',
        name: 'Dell',
        currency: 'USD',
        programId: 'prg_dell',
        families: ['servers', 'storage', 'networking', 'data-protection', 'services'],
      },
      {
        id: 'vnd_vmware',
        slug: 'vmware',
        name: 'VMware',
        currency: 'USD',
        programId: 'prg_vmware',
        families: ['software', 'services'],
      },
    ],
    // Dell's fiscal years FY18..FY27 (programs/dell-emc-fy*.yaml), to a fixed "now".
    years: [
      ['2017-02-01', '2018-02-02'],
      ['2018-02-03', '2019-02-01'],
      ['2019-02-02', '2020-01-31'],
      ['2020-02-01', '2021-01-29'],
      ['2021-01-30', '2022-01-28'],
      ['2022-01-29', '2023-02-03'],
      ['2023-02-04', '2024-02-02'],
      ['2024-02-03', '2025-01-31'],
      ['2025-02-01', '2026-01-30'],
      ['2026-01-31', '2027-01-29'],
    ].map(([start, end]) => ({ start: start as string, end: end as string })),
    now: '2026-12-03',
    createdAt: new Date('2017-01-01T00:00:00Z'),
  });
  const counts = world.counts();
  const t1 = performance.now();
  let customers = 0;
  for (const batch of world.customers(5_000)) customers += batch.length;
  const t2 = performance.now();
  let orders = 0;
  let lines = 0;
  let returns = 0;
  let amount = 0;
  const byChannel = new Map<string, number>();
  const revenueBySeller = new Map<string, number>();
  for (const batch of world.orders(10_000)) {
    orders += batch.orders.length;
    lines += batch.lines.length;
    for (const o of batch.orders) byChannel.set(o.channel, (byChannel.get(o.channel) ?? 0) + 1);
    for (const l of batch.lines) {
      if (l.returnsLineId !== null) returns++;
      amount += l.amountMinor;
      if (l.resellerId !== null)
        revenueBySeller.set(l.resellerId, (revenueBySeller.get(l.resellerId) ?? 0) + l.amountMinor);
    }
  }
  const t3 = performance.now();
  // The loader's path: the same rows as flat values, no objects (what `trellis demo` generates).
  let flatLines = 0;
  for (const batch of world.orderRows(2_000, { orders: true, lines: true })) flatLines += batch.lineCount;
  const t4 = performance.now();
  if (flatLines !== lines) throw new Error(`flat rows: ${flatLines} lines, objects: ${lines}`);
  const top = [...revenueBySeller.values()].sort((a, b) => b - a);
  const musd = (minor: number): string => `$${(minor / 1e8).toFixed(1)}M`;
  return {
    scale,
    seconds: {
      smallCollections: +((t1 - t0) / 1000).toFixed(2),
      customers: +((t2 - t1) / 1000).toFixed(2),
      orders: +((t3 - t2) / 1000).toFixed(2),
      ordersAsFlatRows: +((t4 - t3) / 1000).toFixed(2),
      total: +((t3 - t0) / 1000).toFixed(2),
    },
    counts,
    generated: { customers, orders, lines, returns, returnShare: +(returns / lines).toFixed(4) },
    channels: Object.fromEntries(byChannel),
    revenue: {
      total: musd(amount),
      avgLine: `$${(amount / lines / 100).toFixed(0)}`,
      topSellers: top.slice(0, 5).map(musd),
      median: musd(top[Math.floor(top.length / 2)] ?? 0),
      sellersOver35M: top.filter((x) => x >= 35e8).length,
    },
    heapMB: Math.round(process.memoryUsage().heapUsed / 1e6),
  };
}
