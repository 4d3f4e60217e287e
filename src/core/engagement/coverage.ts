import { day, message, optional, renderEnglish, type Message } from '../messages/message.js';
import { addDays, addDuration } from '../programs/dates.js';
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
  /** The sentence as a message (absent from decisions recorded before messages existed). */
  sentenceMessage?: Message;
}

/**
 * A window as a message: in English its ISO 8601 form (P3Y, P1Y6M, P90D, what `formatDuration` writes),
 * elsewhere its parts in words.
 */
export function durationMessage(duration: Duration): Message {
  const counts = {
    years: Math.floor(duration.months / 12),
    months: duration.months % 12,
    days: duration.days,
  } as const;
  const present = (['years', 'months', 'days'] as const).filter((k) => counts[k] > 0);
  const params: Record<string, ReturnType<typeof optional>> = { years: '', months: '', days: '' };
  present.forEach((k, i) => {
    const part = message(`engagement.duration.${k}`, { count: counts[k] });
    params[k] = optional(
      i === 0
        ? part
        : message(i === present.length - 1 ? 'engagement.duration.last' : 'engagement.duration.then', {
            part: { message: part },
          }),
    );
  });
  return message('engagement.duration.iso', params);
}

/** A coverage with its sentence: the message, and its English text. */
function covered(
  status: CoverageStatus,
  since: IsoDate | null,
  through: IsoDate | null,
  m: Message,
): Coverage {
  return { status, since, through, sentence: renderEnglish(m), sentenceMessage: m };
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
  const w = { message: durationMessage(window) };
  if (facts.named)
    return covered(
      'direct-named',
      facts.namedSince ?? null,
      null,
      message('engagement.coverage.directNamed', { name: facts.named.name }),
    );
  const run = facts.run;
  if (run && run.since <= asOf && asOf < run.until) {
    const through = addDays(run.until, -1);
    return covered(
      'channel-exclusive',
      run.since,
      through,
      message('engagement.coverage.channelExclusive', {
        since: day(run.since),
        partner: partnerName(run.lastPartnerId),
        lastDate: day(run.lastDate),
        orderId: run.lastOrderId,
        through: day(through),
        window: w,
      }),
    );
  }
  if (run && asOf >= run.until)
    return covered(
      'open',
      null,
      null,
      message('engagement.coverage.openLapsed', {
        lastDate: day(run.lastDate),
        window: w,
        asOf: day(asOf),
        through: day(addDays(run.until, -1)),
      }),
    );
  return covered('open', null, null, message('engagement.coverage.openNone', { window: w, asOf: day(asOf) }));
}
