import { describe, expect, it } from 'vitest';
import { routingBench, runRoutingBench } from '../../bench/routing.js';

/**
 * The routing bench on a tiny demo world: every kind of decision is met, coverage upkeep is timed, and the
 * JSON line has the shape the issue names. Timings are not checked here (BENCHMARKS.md records them).
 */
describe('npm run bench -- routing', () => {
  it('decides direct orders of every kind and times the coverage upkeep', { timeout: 180_000 }, async () => {
    const lines: string[] = [];
    const { result, detail } = await runRoutingBench({
      scale: 'small',
      orders: 600,
      upkeepOrders: 200,
      seed: 3,
      sizes: { partners: 60, customers: 1_500, orderLines: 12_000 },
      log: (l) => lines.push(l),
    });
    expect(result.orders).toBe(600);
    expect(result.p50_ms).toBeGreaterThan(0);
    expect(result.p99_ms).toBeGreaterThanOrEqual(result.p50_ms);
    expect(result.coverage_update_us).toBeGreaterThan(0);
    const byReason = detail.byReason as Record<string, number>;
    for (const reason of ['direct-named', 'channel-exclusive', 'below-threshold', 'at-or-above-threshold'])
      expect(byReason[reason], reason).toBeGreaterThan(0);
    expect(Object.values(byReason).reduce((a, b) => a + b, 0)).toBe(600);
    expect(lines.join('\n')).toMatch(/coverage upkeep: 200 partner orders/);
  });

  it('ends with the JSON line the issue names', { timeout: 180_000 }, async () => {
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = (() => true) as typeof process.stderr.write;
    let result: Record<string, unknown>;
    try {
      result = await routingBench(['--scale', 'small', '--orders', '300', '--upkeep-orders', '50', '--json']);
    } finally {
      process.stderr.write = write;
    }
    expect(Object.keys(JSON.parse(JSON.stringify({ bench: 'routing', ...result })))).toEqual([
      'bench',
      'orders',
      'p50_ms',
      'p99_ms',
      'coverage_update_us',
    ]);
    expect(result.orders).toBe(300);
  });
});
