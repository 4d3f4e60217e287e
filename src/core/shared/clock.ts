/** The only way core and app code learn the time. Tests inject a fixed clock. */
export interface Clock {
  now(): Date;
}

export function fixedClock(at: Date | string): Clock {
  const d = new Date(at);
  return { now: () => new Date(d) };
}
