import { describe, expect, it } from 'vitest';
import {
  day,
  factor,
  list,
  message,
  money,
  optional,
  percent,
  renderEnglish,
  storedExplanation,
} from './message.js';

describe('server messages in English', () => {
  it('formats each kind of parameter as the API has always written it', () => {
    const m = message('ledger.rule', {
      name: 'Growth',
      rate: percent(12_500),
      base: money(1_234_567, 'USD'),
      detail: optional(message('ledger.detail', { detail: 'storage' })),
      multiplier: optional(
        message('ledger.multiplier', { factor: factor(1_250_000), codes: list(['a', 'b']) }),
      ),
      amount: money(15_432, 'USD'),
      what: { message: message('ledger.line', { lineId: 'oln_9' }) },
      on: optional(message('ledger.ofDay', { day: day('2026-03-01') })),
      limited: optional(null),
    });
    expect(renderEnglish(m)).toBe(
      'Growth: 1.25% of USD 12,345.67 (storage) x1.25 (a, b) = USD 154.32 on line oln_9 of 2026-03-01.',
    );
  });

  it('refuses a message that misses a parameter its text names (a bug, never a half sentence)', () => {
    expect(() => renderEnglish(message('ledger.line', {}))).toThrow(/no parameter lineId/);
  });

  it('reads stored explanations with and without a message', () => {
    const m = message('ledger.line', { lineId: 'oln_1' });
    expect(storedExplanation(JSON.stringify({ text: 'line oln_1', message: m }))).toEqual({
      text: 'line oln_1',
      message: m,
    });
    expect(storedExplanation(JSON.stringify({ text: 'old' }))).toEqual({ text: 'old', message: null });
  });
});
