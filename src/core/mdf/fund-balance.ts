import type { IsoDate } from '../programs/types.js';

/**
 * A partner's earned market development funds, to the cent: what it earned, holds, has committed to
 * approved activities, spent and lost to expiry, on any day.
 *
 * Funds are earned per period (the `mdf-accrual` component's credits) and expire unused a fixed time after
 * it. An activity pre-approved on the earned fund reserves its amount at once, from the credits that
 * expire first (so a partner never loses money it has a plan for, and funds about to lapse are used first);
 * a paid claim spends from its reservation, and the rest of the reservation is released back to the
 * credits it came from (expiring at once if they have expired meanwhile). Every cent spent, reserved or
 * expired is traced to the credits it came from (`draws`).
 */
export interface FundCredit {
  /** The credit's key (its ledger transaction, or program/period). */
  readonly id: string;
  /** When the funds became usable (the end of the period they were earned in, or the posting day). */
  readonly earnedOn: IsoDate;
  /** The first day they are no longer usable. */
  readonly expiresOn: IsoDate;
  readonly amountMinor: number;
}

/** What happened to the fund, in the order of `on` (then as listed). */
export type FundEvent =
  | { readonly kind: 'reserve'; readonly id: string; readonly on: IsoDate; readonly amountMinor: number }
  | {
      readonly kind: 'spend';
      /** The reservation spent from. */
      readonly id: string;
      readonly on: IsoDate;
      readonly amountMinor: number;
    }
  /** Gives back what is left of a reservation (a claim paid below it, refused, withdrawn, lapsed). */
  | { readonly kind: 'release'; readonly id: string; readonly on: IsoDate };

export interface FundDraw {
  readonly creditId: string;
  /** The reservation or `expiry`. */
  readonly by: string;
  readonly kind: 'reserved' | 'spent' | 'expired' | 'released';
  readonly on: IsoDate;
  readonly amountMinor: number;
}

export interface FundStanding {
  readonly asOf: IsoDate;
  /** Credited so far (earned on or before asOf). */
  readonly earnedMinor: number;
  /** Usable now: earned, unexpired, neither reserved nor spent. */
  readonly availableMinor: number;
  /** Held for approved activities not yet paid. */
  readonly reservedMinor: number;
  readonly spentMinor: number;
  readonly expiredMinor: number;
  /** The available funds by the day they expire, soonest first. */
  readonly expiring: readonly { readonly on: IsoDate; readonly amountMinor: number }[];
  readonly draws: readonly FundDraw[];
}

/** A reservation asked for more than was available, or a spend for more than was reserved. */
export interface FundShortfall {
  readonly kind: 'shortfall';
  readonly event: FundEvent;
  readonly availableMinor: number;
}

interface Pot {
  readonly credit: FundCredit;
  free: number;
  expired: boolean;
}

/**
 * Replays a fund's credits and events up to `asOf` (inclusive) and says where every cent stands. Returns
 * a shortfall instead when an event asks for more than the fund held at that moment (the use case checks
 * with `availableOn` first, so a shortfall means the stored events disagree).
 */
export function fundStanding(
  credits: readonly FundCredit[],
  events: readonly FundEvent[],
  asOf: IsoDate,
): FundStanding | FundShortfall {
  const pots: Pot[] = credits
    .filter((c) => c.earnedOn <= asOf && c.amountMinor > 0)
    .map((credit) => ({ credit, free: credit.amountMinor, expired: false }))
    // Soonest expiry first, then oldest, then by key: the order funds are drawn in.
    .sort(
      (a, b) =>
        cmp(a.credit.expiresOn, b.credit.expiresOn) ||
        cmp(a.credit.earnedOn, b.credit.earnedOn) ||
        cmp(a.credit.id, b.credit.id),
    );
  const draws: FundDraw[] = [];
  /** Per reservation: what it holds of each credit, in draw order. */
  const held = new Map<string, { pot: Pot; amount: number }[]>();
  let spent = 0;
  let expired = 0;

  const expireUpTo = (day: IsoDate) => {
    for (const p of pots)
      if (!p.expired && p.credit.expiresOn <= day) {
        p.expired = true;
        if (p.free > 0) {
          draws.push(draw(p, 'expiry', 'expired', p.credit.expiresOn, p.free));
          expired += p.free;
          p.free = 0;
        }
      }
  };
  const usable = (day: IsoDate) => pots.filter((p) => !p.expired && p.credit.earnedOn <= day && p.free > 0);

  const ordered = events
    .map((e, i) => ({ e, i }))
    .filter(({ e }) => e.on <= asOf)
    .sort((a, b) => cmp(a.e.on, b.e.on) || a.i - b.i);
  for (const { e } of ordered) {
    expireUpTo(e.on);
    if (e.kind === 'reserve') {
      const from = usable(e.on);
      const total = from.reduce((s, p) => s + p.free, 0);
      if (e.amountMinor > total) return { kind: 'shortfall', event: e, availableMinor: total };
      let left = e.amountMinor;
      const parts = held.get(e.id) ?? [];
      for (const p of from) {
        if (left === 0) break;
        const take = Math.min(left, p.free);
        p.free -= take;
        left -= take;
        parts.push({ pot: p, amount: take });
        draws.push(draw(p, e.id, 'reserved', e.on, take));
      }
      held.set(e.id, parts);
    } else if (e.kind === 'spend') {
      const parts = held.get(e.id) ?? [];
      const total = parts.reduce((s, h) => s + h.amount, 0);
      if (e.amountMinor > total) return { kind: 'shortfall', event: e, availableMinor: total };
      let left = e.amountMinor;
      for (const h of parts) {
        if (left === 0) break;
        const take = Math.min(left, h.amount);
        h.amount -= take;
        left -= take;
        spent += take;
        draws.push(draw(h.pot, e.id, 'spent', e.on, take));
      }
    } else {
      for (const h of held.get(e.id) ?? []) {
        if (h.amount === 0) continue;
        draws.push(draw(h.pot, e.id, 'released', e.on, h.amount));
        if (h.pot.expired) {
          // Its credit lapsed while the activity held it: released, it expires on the day.
          draws.push(draw(h.pot, 'expiry', 'expired', e.on, h.amount));
          expired += h.amount;
        } else h.pot.free += h.amount;
        h.amount = 0;
      }
      held.delete(e.id);
    }
  }
  expireUpTo(asOf);

  const live = pots.filter((p) => !p.expired && p.free > 0);
  const byDay = new Map<IsoDate, number>();
  for (const p of live) byDay.set(p.credit.expiresOn, (byDay.get(p.credit.expiresOn) ?? 0) + p.free);
  let reserved = 0;
  for (const parts of held.values()) for (const h of parts) reserved += h.amount;
  return {
    asOf,
    earnedMinor: pots.reduce((s, p) => s + p.credit.amountMinor, 0),
    availableMinor: live.reduce((s, p) => s + p.free, 0),
    reservedMinor: reserved,
    spentMinor: spent,
    expiredMinor: expired,
    expiring: [...byDay.entries()]
      .sort(([a], [b]) => cmp(a, b))
      .map(([on, amountMinor]) => ({ on, amountMinor })),
    draws,
  };
}

/** What a reservation made on `on` could take: the fund's available amount that day. */
export function availableOn(
  credits: readonly FundCredit[],
  events: readonly FundEvent[],
  on: IsoDate,
): number {
  const s = fundStanding(credits, events, on);
  return isShortfall(s) ? 0 : s.availableMinor;
}

export function isShortfall(s: FundStanding | FundShortfall): s is FundShortfall {
  return 'kind' in s && s.kind === 'shortfall';
}

function draw(p: Pot, by: string, kind: FundDraw['kind'], on: IsoDate, amountMinor: number): FundDraw {
  return { creditId: p.credit.id, by, kind, on, amountMinor };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
