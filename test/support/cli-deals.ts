import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createContext, type AppContext } from '../../src/app/context.js';
import { openAppStore } from '../../src/app/store.js';
import type { Clock } from '../../src/core/shared/clock.js';
import { addResellers } from './deals.js';
import { loadFixture } from './fixtures.js';

export const PROGRAM = 'dell-emc-partner-program';

/**
 * A data directory for the `trellis` binary holding the fixture world (not the demo: it loads in a
 * second) plus two EMEA resellers (ptn_charlie in FR, ptn_echo in DE). `prepare` runs in-process on the
 * same SQLite file before the CLI does; `at` gives a context whose clock is moved (hours from now).
 */
export async function dealDataDir(
  prepare: (tools: {
    ctx: AppContext;
    at: (hoursFromNow: number) => AppContext;
    dell: { vendorId: string; programId: string };
  }) => Promise<void> = async () => undefined,
): Promise<{ dir: string; env: Record<string, string> }> {
  const dir = mkdtempSync(join(tmpdir(), 'trellis-deals-'));
  const store = await openAppStore({ kind: 'sqlite', file: join(dir, 'trellis.db') });
  try {
    const ctx = createContext(store);
    const { dell } = await loadFixture(ctx);
    await addResellers(ctx, dell, [
      { id: 'ptn_charlie', name: 'Charlie Integration SARL', country: 'FR', region: 'emea' },
      { id: 'ptn_echo', name: 'Echo Data GmbH', country: 'DE', region: 'emea' },
    ]);
    const at = (hours: number) => {
      const clock: Clock = { now: () => new Date(Date.now() + hours * 3_600_000) };
      return createContext(store, { clock });
    };
    await prepare({ ctx, at, dell });
  } finally {
    await store.close();
  }
  return { dir, env: { TRELLIS_DATA_DIR: dir } };
}

/** A date `days` from today (UTC), YYYY-MM-DD. */
export function daysFromNow(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

/** A registration of `name` in `country` (one storage line of USD 40,000) for the Dell program. */
export function registrationOf(name: string, country: string, extra: Record<string, unknown> = {}) {
  return {
    programId: PROGRAM,
    customer: { name, country, segment: 'commercial', domain: null },
    currency: 'USD',
    lines: [{ family: 'storage', amountMinor: 4_000_000 }],
    expectedCloseDate: daysFromNow(365),
    description: 'Storage refresh',
    ...extra,
  };
}
