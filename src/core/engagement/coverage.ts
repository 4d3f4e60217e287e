import { addDays, addDuration, formatDuration } from '../programs/dates.js';
import type { Duration, IsoDate } from '../programs/types.js';

/**
 * Coverage of an account (a vendor's customer): who may sell to it. Pure; the rules of
 * src/core/engagement/README.md ("Coverage").
 *
 * - direct-named: on the vendor's list of accounts it serves directly (matched despite name variants);
 * - channel-exclusive: bought through a partner within the program's window. A purchase on day D keeps
 *   the account channel-only through D + window - 1 day: it is open again on D + window exactly;
 * - open: neither.
 */
export const COVERAGE_STATUSES = ['direct-named', 'channel-exclusive', 'open'] as const;
export type CoverageStatus = (typeof COVERAGE_STATUSES)[number];

/** An account's channel run: the purchases through partners that keep it channel-only without a gap. */
export interface ChannelRun {
  /** First channel purchase of the current run. */
  since: IsoDate;
  /** Last channel purchase. */
  lastDate: IsoDate;
  /** First day the account is open again (lastDate + window). */
  until: IsoDate;
  lastPartnerId: string;
  lastOrderId: string;
}

export interface NamedLink {
  namedAccountId: string;
  name: string;
}

export interface Coverage {
  status: CoverageStatus;
  /** Channel-exclusive since (first purchase of the run) or named since; null when open. */
  since: IsoDate | null;
  /** Last channel-exclusive day (inclusive); null unless channel-exclusive. */
  through: IsoDate | null;
  sentence: string;
}

/** The first day an account is open again after a channel purchase on `date`. */
export function exclusiveUntil(date: IsoDate, window: Duration): IsoDate {
  return addDuration(date, window);
}

/**
 * The run after a channel purchase (partner `partnerId`, order `orderId`, day `date`). A purchase on or
 * after the run's end starts a new run; an earlier purchase (an order entered late) extends it only when
 * its own window reaches into the run. Never moves `lastDate` or `until` backwards.
 */
export function advanceRun(
  run: ChannelRun | null,
  purchase: { date: IsoDate; partnerId: string; orderId: string },
  window: Duration,
): { run: ChannelRun; started: boolean } {
  const until = exclusiveUntil(purchase.date, window);
  if (!run || purchase.date >= run.until)
    return {
      run: {
        since: purchase.date,
        lastDate: purchase.date,
        until,
        lastPartnerId: purchase.partnerId,
        lastOrderId: purchase.orderId,
      },
      started: true,
    };
  const later = purchase.date >= run.lastDate;
  return {
    run: {
      since: until > run.since && purchase.date < run.since ? purchase.date : run.since,
      lastDate: later ? purchase.date : run.lastDate,
      until: until > run.until ? until : run.until,
      lastPartnerId: later ? purchase.partnerId : run.lastPartnerId,
      lastOrderId: later ? purchase.orderId : run.lastOrderId,
    },
    started: false,
  };
}

/** The account's coverage on `asOf`, with the sentence that explains it. */
export function coverageOn(
  facts: { named: NamedLink | null; namedSince?: IsoDate | null; run: ChannelRun | null },
  asOf: IsoDate,
  window: Duration,
  partnerName: (id: string) => string = (id) => id,
): Coverage {
  const w = formatDuration(window);
  if (facts.named)
    return {
      status: 'direct-named',
      since: facts.namedSince ?? null,
      through: null,
      sentence: `direct-named: the vendor serves it directly (listed as "${facts.named.name}")`,
    };
  const run = facts.run;
  if (run && run.since <= asOf && asOf < run.until) {
    const through = addDays(run.until, -1);
    return {
      status: 'channel-exclusive',
      since: run.since,
      through,
      sentence: `channel-exclusive since ${run.since}: last bought through ${partnerName(run.lastPartnerId)} on ${run.lastDate} (order ${run.lastOrderId}); channel-only through ${through} (window ${w})`,
    };
  }
  if (run && asOf >= run.until)
    return {
      status: 'open',
      since: null,
      through: null,
      sentence: `open: the last purchase through a partner was on ${run.lastDate}, more than ${w} before ${asOf} (channel-only through ${addDays(run.until, -1)})`,
    };
  return {
    status: 'open',
    since: null,
    through: null,
    sentence: `open: no purchase through a partner within ${w} before ${asOf}`,
  };
}
