import { convertMinor, formatFxRate, type Rate } from '../money/fx.js';
import { ACCOUNTS } from './settlement.js';

/**
 * Payouts in the partner's currency (issue 17), pure. A statement keeps its lines in the program's
 * currency; paid in another currency, each line converts at the statement's one rate
 * (`convertMinor(line, rate)`, half to even), the total converts at the same rate, and the difference
 * between the converted total and the sum of the converted lines is the rounding difference, posted as its
 * own ledger line. So: converted lines + rounding = converted total, exactly, and no cent appears or
 * disappears between the lines a partner reads and the amount it is paid.
 */
export interface PayoutConversion {
  readonly from: string;
  readonly to: string;
  readonly rate: Rate;
  /** The statement's total in the program's currency. */
  readonly totalMinor: number;
  /** The sum of the lines, each converted on its own. */
  readonly linesMinor: number;
  /** The total converted (what the partner is paid). */
  readonly convertedMinor: number;
  /** convertedMinor - linesMinor. */
  readonly roundingMinor: number;
}

/** Converts a statement's lines and total at `rate`; the lines are read as their amounts in `from`. */
export function convertStatement(
  lines: Iterable<number>,
  totalMinor: number,
  from: string,
  to: string,
  rate: Rate,
): PayoutConversion {
  let linesMinor = 0;
  for (const l of lines) linesMinor += convertMinor(l, from, to, rate);
  const convertedMinor = convertMinor(totalMinor, from, to, rate);
  return {
    from,
    to,
    rate,
    totalMinor,
    linesMinor,
    convertedMinor,
    roundingMinor: convertedMinor - linesMinor,
  };
}

/** One leg of a payout: debits positive, credits negative, each in its own currency. */
export interface PayoutLeg {
  readonly account: string;
  readonly currency: string;
  readonly amountMinor: number;
  /** What the leg is: the payout in the program's currency, the conversion, the rounding, the cash paid. */
  readonly role: 'payable' | 'conversion-out' | 'conversion-in' | 'rounding' | 'cash';
}

/**
 * The legs of a statement's payout. In the program's currency: the partner's payable is debited and (in
 * one currency) cash is credited. In another currency: the payable is debited to the FX conversion account
 * in the program's currency; the conversion account is debited with the sum of the converted lines and
 * the FX rounding account with the rounding difference, both in the payout currency, and cash is credited
 * the converted total. Each currency's legs sum to zero. A zero rounding posts no rounding leg.
 */
export function payoutLegs(
  currency: string,
  totalMinor: number,
  conversion: PayoutConversion | null,
): PayoutLeg[] {
  if (!conversion || conversion.to === currency)
    return [
      { account: ACCOUNTS.payable, currency, amountMinor: totalMinor, role: 'payable' },
      { account: ACCOUNTS.cash, currency, amountMinor: -totalMinor, role: 'cash' },
    ];
  const c = conversion;
  const legs: PayoutLeg[] = [
    { account: ACCOUNTS.payable, currency, amountMinor: totalMinor, role: 'payable' },
    { account: ACCOUNTS.fxConversion, currency, amountMinor: -totalMinor, role: 'conversion-out' },
    { account: ACCOUNTS.fxConversion, currency: c.to, amountMinor: c.linesMinor, role: 'conversion-in' },
  ];
  if (c.roundingMinor !== 0)
    legs.push({
      account: ACCOUNTS.fxRounding,
      currency: c.to,
      amountMinor: c.roundingMinor,
      role: 'rounding',
    });
  legs.push({ account: ACCOUNTS.cash, currency: c.to, amountMinor: -c.convertedMinor, role: 'cash' });
  return legs;
}

/** How a statement's rate was had, as stored on it and shown with it. */
export interface PayoutRateFacts {
  /** The program's rule: the payout day's rate or the period's average. */
  readonly basis: 'payout-day' | 'period-average';
  /** The exact decimal text of the rate (1 program-currency unit = rate payout-currency units). */
  readonly rate: string;
  /** The day of the rates used (an average: the last day averaged). */
  readonly rateDay: string;
  /** An average: the first day averaged (null otherwise). */
  readonly firstDay: string | null;
  /** An average: how many days' rates were averaged (null otherwise). */
  readonly days: number | null;
  /** 'direct', 'inverse' or 'cross:<via>'; an average: 'average'. */
  readonly derivation: string;
  /** The day asked for was bridged by an earlier day's rate (the program's last-known policy). */
  readonly bridged: boolean;
}

export function rateText(r: Rate): string {
  return formatFxRate(r);
}
