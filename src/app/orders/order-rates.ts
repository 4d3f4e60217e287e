import type { Kysely } from 'kysely';
import { fxRate, RateBook } from '../../core/money/fx.js';
import type { ProgramDefinition } from '../../core/programs/types.js';
import {
  orderIntakeRepository,
  type PublishedVersionRow,
} from '../../db/repositories/order-intake-repository.js';
import { exchangeRateRepository } from '../../db/repositories/exchange-rate-repository.js';
import type { SqlStore } from '../../db/connection.js';
import type { Database } from '../../db/schema.js';
import { compiledVersion } from '../incentives/post-accruals.js';

/**
 * The vendor's rates of the days in [first, last] as a rate book (core/money/fx.ts): one query for a
 * request or an import chunk, never one per line.
 */
export async function loadRateBook(
  trx: Kysely<Database>,
  vendorId: string,
  first: string,
  last: string,
): Promise<RateBook> {
  const rows = await exchangeRateRepository(trx).between(vendorId, first, last);
  return new RateBook(rows.map((r) => ({ base: r.base, quote: r.quote, day: r.day, rate: fxRate(r.rate) })));
}

/** The definitions of the published versions covering `day`, in the order given (compiled once, cached). */
export async function programsCovering(
  trx: Kysely<Database>,
  store: SqlStore,
  published: readonly PublishedVersionRow[],
  day: string,
): Promise<ProgramDefinition[]> {
  const covering = published.filter((v) => v.effectiveFrom <= day && day <= v.effectiveTo);
  if (covering.length === 0) return [];
  const repo = orderIntakeRepository(trx, store);
  const out: ProgramDefinition[] = [];
  for (const v of covering) out.push((await compiledVersion(repo, v)).program);
  return out;
}
