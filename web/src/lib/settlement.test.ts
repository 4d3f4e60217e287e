import { describe, expect, it } from 'vitest';
import { i18n, plainT } from '../i18n';
import {
  earningsBadge,
  amountSign,
  canDisputeStatement,
  lineKindTone,
  nextAction,
  periodsByProgram,
  statementLabel,
  statementTimeline,
  statementTone,
  totalsByCurrency,
  usedBarPercent,
} from './settlement';

const en = plainT(i18n.getFixedT('en'));
const fr = plainT(i18n.getFixedT('fr'));

describe('statement life cycle', () => {
  it('offers the one action that moves a statement on', () => {
    expect(nextAction('draft')).toBe('issue');
    expect(nextAction('issued')).toBe('approve');
    expect(nextAction('approved')).toBe('pay');
    expect(nextAction('paid')).toBeNull();
    expect(nextAction('carried')).toBeNull();
  });
  it('lets partners dispute any statement they can see', () => {
    expect(canDisputeStatement('draft')).toBe(false);
    for (const s of ['issued', 'approved', 'paid', 'carried']) expect(canDisputeStatement(s)).toBe(true);
  });
  it('gives statuses and kinds a tone', () => {
    expect(statementTone('paid')).toBe('ok');
    expect(statementTone('draft')).toBe('neutral');
    expect(lineKindTone('clawback')).toBe('bad');
    expect(lineKindTone('accrual')).toBe('neutral');
  });
  it('labels supplements', () => {
    expect(statementLabel({ period: 'FY18-Q1', sequence: 1 })).toBe('FY18-Q1');
    expect(statementLabel({ period: 'FY18-Q2', sequence: 2 })).toBe('FY18-Q2 #2');
  });
});

describe('statementTimeline', () => {
  const created = '2017-05-15T10:00:00.000Z';
  it('marks dated steps done and the first undated one next', () => {
    const steps = statementTimeline({
      status: 'issued',
      createdAt: created,
      issuedAt: '2017-05-16T09:00:00.000Z',
      approvedAt: null,
      paidAt: null,
    });
    expect(steps.map((s) => [s.key, s.state])).toEqual([
      ['created', 'done'],
      ['issued', 'done'],
      ['approved', 'next'],
      ['paid', 'pending'],
    ]);
    expect(steps[1]?.at).toBe('2017-05-16T09:00:00.000Z');
  });
  it('ends in carried forward for a carried statement', () => {
    const steps = statementTimeline({
      status: 'carried',
      createdAt: created,
      issuedAt: created,
      approvedAt: created,
      paidAt: created,
    });
    expect(steps.map((s) => s.key)).toEqual(['created', 'issued', 'approved', 'carried']);
    expect(steps.every((s) => s.state === 'done')).toBe(true);
  });
});

describe('amounts', () => {
  it('knows the sign of an amount', () => {
    expect(amountSign(-1)).toBe('negative');
    expect(amountSign(0)).toBe('zero');
    expect(amountSign(120_000)).toBe('positive');
  });
});

describe('earnings', () => {
  const p = (programId: string, period: string, currency: string, earned: number, paid: number) => ({
    programId,
    period,
    currency,
    earnedMinor: earned,
    paidMinor: paid,
    projectedMinor: earned + 100,
  });
  it('totals per currency, never across currencies', () => {
    expect(
      totalsByCurrency([
        p('prg_a', 'FY18-Q1', 'USD', 465_000, 465_000),
        p('prg_a', 'FY18-Q2', 'USD', 10_000, 0),
        p('prg_b', 'FY22-Q1', 'EUR', 5_000, 0),
      ]),
    ).toEqual([
      { currency: 'EUR', earnedMinor: 5_000, paidMinor: 0, unpaidMinor: 5_000, projectedMinor: 5_100 },
      {
        currency: 'USD',
        earnedMinor: 475_000,
        paidMinor: 465_000,
        unpaidMinor: 10_000,
        projectedMinor: 475_200,
      },
    ]);
    expect(totalsByCurrency([])).toEqual([]);
  });
  it('says which periods are closed, never "every period" when one is', () => {
    const q = (period: string, closed: boolean) => ({ period, closed });
    expect(earningsBadge(en, [])).toBeNull();
    expect(earningsBadge(en, [q('FY18-Q1', true)])).toEqual({ tone: 'ok', text: 'closed: FY18-Q1' });
    expect(earningsBadge(en, [q('FY18-Q1', true), q('FY18-Q2', false)])).toEqual({
      tone: 'warn',
      text: 'provisional: FY18-Q2 not closed',
    });
    expect(
      earningsBadge(
        en,
        ['FY18-Q1', 'FY18-Q2', 'FY18-Q3', 'FY18-Q4'].map((c) => q(c, true)),
      )?.text,
    ).toBe('closed: 4 periods');
    expect(earningsBadge(fr, [q('FY18-Q1', true), q('FY18-Q2', false)])?.text).toBe(
      'provisoire : FY18-Q2 non clôturé(s)',
    );
  });
  it('groups periods by program, in period order', () => {
    const grouped = periodsByProgram([
      p('prg_a', 'FY18-Q2', 'USD', 1, 0),
      p('prg_b', 'FY22-Q1', 'USD', 1, 0),
      p('prg_a', 'FY18-Q1', 'USD', 1, 0),
    ]);
    expect(grouped.map(([id, list]) => [id, list.map((x) => x.period)])).toEqual([
      ['prg_a', ['FY18-Q1', 'FY18-Q2']],
      ['prg_b', ['FY22-Q1']],
    ]);
  });
});

describe('usedBarPercent', () => {
  it('is the share used, 0-100', () => {
    expect(usedBarPercent(70)).toBeCloseTo(0.007);
    expect(usedBarPercent(250_000)).toBe(25);
    expect(usedBarPercent(1_500_000)).toBe(100);
    expect(usedBarPercent(0)).toBe(0);
    expect(usedBarPercent(-5)).toBe(0);
  });
});
