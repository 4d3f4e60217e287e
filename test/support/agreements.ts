import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AppContext } from '../../src/app/context.js';
import { publishDocument } from '../../src/app/programs/publish-document.js';
import { fixedClock } from '../../src/core/shared/clock.js';
import { ROOT } from './fixtures.js';

const T0 = new Date('2021-01-30T00:00:00.000Z');

/**
 * Dell's program moved to VMware's FY22 (30 January 2021 to 28 January 2022), so both parties' programs
 * are in force while the Dell-VMware agreement is: the shipped Dell file with its dates moved, as a new
 * version FY22.
 */
export async function publishDellFy22(ctx: AppContext): Promise<{ versionId: string }> {
  const text = (await readFile(join(ROOT, 'programs/dell-emc-fy18.yaml'), 'utf8'))
    .replace('version: FY18', 'version: FY22')
    .replace('from: 2017-02-01', 'from: 2021-01-30')
    .replace('to: 2018-02-02', 'to: 2022-01-28')
    .replace('  effective: 2017-02-01', '  effective: 2021-01-30');
  const out = await ctx.store.db
    .transaction()
    .execute((trx) => publishDocument(trx, { clock: fixedClock(T0), ids: ctx.ids }, text, 'dell-fy22.yaml'));
  if (out.kind !== 'program') throw new Error('expected a program');
  return { versionId: out.versionId };
}

/** The shipped agreement's text, optionally changed (e.g. without its recorded termination). */
export async function agreementText(change: (text: string) => string = (t) => t): Promise<string> {
  return change(await readFile(join(ROOT, 'programs/agreements/dell-vmware-2021.yaml'), 'utf8'));
}

/** The shipped agreement without the termination it records: notice is still to be given. */
export const withoutTermination = (text: string): string => text.replace(/ {2}events:\n(?: {4}.*\n)+/, '');

export async function publishAgreement(ctx: AppContext, text: string) {
  return ctx.store.db
    .transaction()
    .execute((trx) => publishDocument(trx, { clock: fixedClock(T0), ids: ctx.ids }, text, 'agreement.yaml'));
}
