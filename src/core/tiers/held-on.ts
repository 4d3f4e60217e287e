/** A stored tier record of a partner in a program: in force on d when validFrom <= d < validTo. */
export interface TierRecord {
  readonly tierCode: string;
  readonly validFrom: string;
  readonly validTo: string | null;
}

/**
 * The tier a partner holds on a day, as every accrual reads it (real time, import, close): the record in
 * force on the day (validFrom <= day < validTo, validTo exclusive, null = open), the latest start first,
 * among `tierCodes` when given (statuses such as Titanium Black are not tiers); null when none is.
 */
export function tierHeldOn(
  records: readonly TierRecord[],
  day: string,
  tierCodes?: readonly string[],
): string | null {
  let best: TierRecord | null = null;
  for (const m of records)
    if (
      m.validFrom <= day &&
      (m.validTo === null || m.validTo > day) &&
      (tierCodes === undefined || tierCodes.includes(m.tierCode)) &&
      (best === null || m.validFrom >= best.validFrom)
    )
      best = m;
  return best?.tierCode ?? null;
}
