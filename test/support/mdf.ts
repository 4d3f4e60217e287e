import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AppContext } from '../../src/app/context.js';
import { publishDocument } from '../../src/app/programs/publish-document.js';
import { ACCOUNTS } from '../../src/core/ledger/settlement.js';
import { addDays } from '../../src/core/programs/dates.js';
import { fixedClock } from '../../src/core/shared/clock.js';
import { ledgerRepository } from '../../src/db/repositories/ledger-repository.js';
import type { Server } from '../../src/server/types.js';
import { ROOT } from './fixtures.js';
import type { Session } from './http.js';
import { multipart, SAMPLES } from './multipart.js';

/**
 * A version of VMware Partner Connect (the fixture's MDF program) for the year starting `from`, with a
 * proposal fund (`events-fund`, USD 1,000.00 a quarter, open to every zone) beside its earned MDF; so MDF
 * tests can run on any clock (the races suite runs on the real one).
 */
export async function publishMdfYear(
  ctx: AppContext,
  from: string,
  version = 'FY99',
  options: { everyTierEarnsMdf?: boolean } = {},
) {
  const to = addDays(addDuration12(from), -1);
  let text = (await readFile(join(ROOT, 'programs/vmware-partner-connect-fy22.yaml'), 'utf8'))
    .replace('version: FY22', `version: ${version}`)
    .replace('from: 2021-01-30', `from: ${from}`)
    .replace('to: 2022-01-28', `to: ${to}`)
    .replace(
      '  claimWithin: P60D\n',
      '  claimWithin: P60D\n  proposalFunds:\n    - { code: events-fund, name: Events fund, zones: [global], amount: USD 1000, per: quarter }\n',
    );
  // Earned MDF (1% of software) for partners of every tier, not only Advantage Plus.
  if (options.everyTierEarnsMdf)
    text = text.replace(
      '    condition: { attribute: partner.tier, operator: gte, value: advantage-plus }\n    points: 1% # demo\n    families: [software]',
      '    points: 1% # demo\n    families: [software]',
    );
  const out = await publishDocument(
    ctx.store.db,
    { clock: fixedClock(new Date(`${from}T00:00:00Z`)), ids: ctx.ids },
    text,
    `vmware-${version}.yaml`,
  );
  if (out.kind !== 'program') throw new Error(JSON.stringify(out));
  return { vendorId: out.vendorId, programId: out.programId, from, to, version };
}

function addDuration12(from: string): string {
  const [y, m, d] = from.split('-').map(Number) as [number, number, number];
  return `${y + 1}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/**
 * Credits a partner's MDF fund as an accrual of the `earned-mdf` component would: debit the vendor's MDF
 * expense, credit `partner:mdf-fund`, for one program period.
 */
export async function creditMdf(
  ctx: AppContext,
  c: { vendorId: string; programId: string; partnerId: string; period: string; amountMinor: number },
) {
  const txId = ctx.ids.next('ledgerTransaction');
  const common = {
    transactionId: txId,
    vendorId: c.vendorId,
    partnerId: c.partnerId,
    programId: c.programId,
    currency: 'USD',
    period: c.period,
    component: 'earned-mdf',
    ruleId: 'earned-mdf',
    ruleVersion: 'test',
    lineId: null,
    baseMinor: c.amountMinor * 100,
    rate: 10_000,
    effectiveRate: 10_000,
    tier: 'advantage-plus',
    multiplier: 1,
    budgetPool: null,
    explanation: '{}',
  };
  await ledgerRepository(ctx.store.db).append(
    {
      id: txId,
      vendorId: c.vendorId,
      partnerId: c.partnerId,
      programId: c.programId,
      kind: 'accrual',
      idempotencyKey: `test-mdf:${txId}`,
      inputHash: '',
      orderId: null,
      effectiveDate: '2000-01-01',
      period: c.period,
      reversesId: null,
      postedAt: new Date().toISOString(),
    },
    [
      {
        ...common,
        id: ctx.ids.next('ledgerEntry'),
        account: ACCOUNTS.mdfExpense,
        amountMinor: c.amountMinor,
      },
      { ...common, id: ctx.ids.next('ledgerEntry'), account: ACCOUNTS.mdfFund, amountMinor: -c.amountMinor },
    ],
  );
  return txId;
}

/** Uploads a proof file (a small PDF) as a signed-in person, for a vendor; returns the stored file's id. */
export async function uploadProof(
  app: Server,
  session: Session,
  vendorId: string,
  name = 'proof.pdf',
): Promise<string> {
  const body = multipart({ purpose: 'mdf-proof', vendorId }, [{ name, bytes: SAMPLES.pdf }]);
  const res = await app.inject({
    method: 'POST',
    url: '/api/files',
    headers: { ...body.headers, cookie: session.cookie, 'x-csrf-token': session.csrf },
    payload: body.payload,
  });
  if (res.statusCode !== 201) throw new Error(`upload: ${res.statusCode} ${res.body}`);
  return (res.json() as { id: string }).id;
}
