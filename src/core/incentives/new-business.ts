import { addDuration } from '../programs/dates.js';

/**
 * New business, written once: a customer is new business on a day when it bought none of the
 * component's families (any family when the component names none) from the vendor, in any channel with a
 * quantity above zero, within the look-back window before that day: [day - lookBack, day).
 *
 * Each path feeds it the purchases it can know: real-time accrual asks the store whether one purchase lies
 * in the window (`newBusinessWindow`), the import and the close load the purchases of the window into a
 * `PurchaseHistory` and ask it.
 */
export interface NewBusinessRule {
  readonly families: readonly string[];
  readonly lookBack: { readonly months: number; readonly days: number };
}

/** The window a purchase must fall in for the customer not to be new on `day`: [from, before). */
export function newBusinessWindow(rule: NewBusinessRule, day: string): { from: string; before: string } {
  return {
    from: addDuration(day, { months: -rule.lookBack.months, days: -rule.lookBack.days }),
    before: day,
  };
}

/**
 * What a period hands the next one of the purchases it read: the last day each customer bought each of
 * `families` (every family when empty) before `before`, known for every customer and family that bought
 * on a day in [since, before). A look-back window [from, before) with `from >= since` holds a purchase of
 * a customer and family exactly when this day is at or after `from`, so the next period (beginning on
 * `before`) takes these days instead of reading its look-back again.
 */
export interface LastPurchases {
  readonly families: readonly string[];
  readonly since: string;
  readonly before: string;
  readonly days: ReadonlyMap<string, ReadonlyMap<string, string>>;
}

const sameFamilies = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().join('\u0000') === [...b].sort().join('\u0000');

/** The first index of `days` (sorted) at or after `day`. */
function lowerBound(days: readonly string[], day: string): number {
  let lo = 0;
  let hi = days.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((days[mid] as string) < day) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The days customers bought each family on (sorted, distinct), as loaded or as orders arrive. */
export class PurchaseHistory {
  private readonly byCustomer = new Map<string, Map<string, string[]>>();
  private readonly windows = new Map<string, { from: string; before: string }>();
  /** One copy of each family and day kept (rows read hand over fresh strings: millions in a large quarter). */
  private readonly kept = new Map<string, string>();

  /** Records a purchase (quantity above zero) of `family` by the customer on `day`. */
  add(customerId: string, family: string, day: string): void {
    let families = this.byCustomer.get(customerId);
    if (!families) this.byCustomer.set(customerId, (families = new Map()));
    let days = families.get(family);
    if (!days) families.set(this.keep(family), (days = []));
    const last = days[days.length - 1];
    if (last === undefined || last < day) days.push(this.keep(day));
    else {
      const at = lowerBound(days, day);
      if (days[at] !== day) days.splice(at, 0, this.keep(day));
    }
  }

  private keep(value: string): string {
    const kept = this.kept.get(value);
    if (kept !== undefined) return kept;
    this.kept.set(value, value);
    return value;
  }

  /** Did the customer buy any of `families` (any family when empty) on a day in [from, before)? */
  boughtWithin(customerId: string, families: readonly string[], from: string, before: string): boolean {
    const h = this.byCustomer.get(customerId);
    if (!h) return false;
    const within = (days: readonly string[] | undefined) => {
      if (!days) return false;
      const at = lowerBound(days, from);
      return at < days.length && (days[at] as string) < before;
    };
    if (families.length === 0) {
      for (const days of h.values()) if (within(days)) return true;
      return false;
    }
    for (const f of families) if (within(h.get(f))) return true;
    return false;
  }

  /**
   * Records the last purchases another period handed over, as a read of the last day each customer bought
   * each family in [from, before) would: false (nothing recorded) unless they are of the same families,
   * end at `before` and are known from `from` or earlier.
   */
  addLast(carried: LastPurchases, families: readonly string[], from: string, before: string): boolean {
    if (carried.before !== before || carried.since > from || !sameFamilies(carried.families, families))
      return false;
    for (const [customerId, byFamily] of carried.days)
      for (const [family, day] of byFamily) if (day >= from) this.add(customerId, family, day);
    return true;
  }

  /**
   * The last purchases to hand over (see LastPurchases), when the last purchase of `families` in [since,
   * before) of each customer and family is among those recorded.
   */
  lastPurchases(families: readonly string[], since: string, before: string): LastPurchases {
    const days = new Map<string, Map<string, string>>();
    for (const [customerId, byFamily] of this.byCustomer) {
      const last = new Map<string, string>();
      for (const [family, list] of byFamily) {
        const at = lowerBound(list, before);
        if (at > 0) last.set(family, list[at - 1] as string);
      }
      if (last.size > 0) days.set(customerId, last);
    }
    return { families: [...families], since, before, days };
  }

  /** Is the customer new business on `day` under `rule`, from the purchases recorded? */
  isNew(rule: NewBusinessRule, customerId: string, day: string): boolean {
    const key = `${rule.lookBack.months}|${rule.lookBack.days}|${day}`;
    let w = this.windows.get(key);
    if (w === undefined) this.windows.set(key, (w = newBusinessWindow(rule, day)));
    return !this.boughtWithin(customerId, rule.families, w.from, w.before);
  }
}
