import { describe, expect, it } from 'vitest';
import { earningsCharts, monthsBetween, niceTicks, type MonthlyEarning } from './earnings-chart';

const row = (month: string, component: string, amountMinor: number, currency = 'USD'): MonthlyEarning => ({
  month,
  component,
  currency,
  amountMinor,
});

describe('the partner home chart of earnings by month and component', () => {
  it('lists every month of a range, across a year end', () => {
    expect(monthsBetween('2025-11-01', '2026-02-27')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect(monthsBetween('2026-03-01', '2026-03-31')).toEqual(['2026-03']);
    expect(monthsBetween('2026-04-01', '2026-03-31')).toEqual([]);
  });

  it('picks round ticks in major units that cover the range and include zero', () => {
    expect(niceTicks(0, 123_456)).toEqual([0, 50_000, 100_000, 150_000]);
    expect(niceTicks(-20_000, 90_000)).toEqual([-50_000, 0, 50_000, 100_000]);
    expect(niceTicks(0, 0)).toEqual([0]);
    expect(niceTicks(0, 7, 4, 1)).toEqual([0, 2, 4, 6, 8]);
  });

  it('stacks components per month in program order, clawbacks below zero, to the cent', () => {
    const rows = [
      row('2026-02', 'new-business', 800),
      row('2026-02', 'base-rebate', 1_001),
      row('2026-03', 'base-rebate', -250),
      row('2026-03', 'bonus', 99),
      row('2026-03', 'base-rebate', 50),
      row('2025-01', 'base-rebate', 1_000_000), // outside the range: left out
    ];
    const components = [
      { code: 'base-rebate', name: 'Base rebate' },
      { code: 'new-business', name: 'New-business incentive' },
    ];
    const [chart, ...rest] = earningsCharts(rows, components, '2026-02-01', '2026-04-30');
    expect(rest).toEqual([]);
    expect(chart?.currency).toBe('USD');
    expect(chart?.series.map((s) => [s.code, s.name, s.slot, s.totalMinor])).toEqual([
      ['base-rebate', 'Base rebate', 0, 801],
      ['new-business', 'New-business incentive', 1, 800],
      ['bonus', 'bonus', 2, 99],
    ]);
    expect(chart?.totalMinor).toBe(1_700);
    expect(chart?.months.map((m) => m.month)).toEqual(['2026-02', '2026-03', '2026-04']);
    const [feb, mar, apr] = chart?.months ?? [];
    expect(feb?.segments).toEqual([
      { code: 'base-rebate', slot: 0, amountMinor: 1_001, from: 0, to: 1_001 },
      { code: 'new-business', slot: 1, amountMinor: 800, from: 1_001, to: 1_801 },
    ]);
    expect(feb?.totalMinor).toBe(1_801);
    expect(mar?.segments).toEqual([
      { code: 'base-rebate', slot: 0, amountMinor: -200, from: 0, to: -200 },
      { code: 'bonus', slot: 2, amountMinor: 99, from: 0, to: 99 },
    ]);
    expect(mar?.totalMinor).toBe(-101);
    expect(apr?.segments).toEqual([]);
    expect(chart?.bottom).toBeLessThanOrEqual(-200);
    expect(chart?.top).toBeGreaterThanOrEqual(1_801);
  });

  it('draws one chart per currency and none without earnings', () => {
    const charts = earningsCharts(
      [
        row('2026-02', 'base-rebate', 5, 'EUR'),
        row('2026-02', 'base-rebate', 7, 'USD'),
        row('2026-02', 'x', 0, 'GBP'),
      ],
      [],
      '2026-02-01',
      '2026-02-28',
    );
    expect(charts.map((c) => [c.currency, c.totalMinor])).toEqual([
      ['EUR', 5],
      ['USD', 7],
    ]);
    expect(earningsCharts([], [], '2026-02-01', '2026-02-28')).toEqual([]);
  });
});
