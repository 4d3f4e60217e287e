import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addPerson } from '../../src/app/access/people.js';
import { linkDistributor } from '../../src/app/agreements/distributor-link.js';
import { createContext, type AppContext } from '../../src/app/context.js';
import { evaluateAllPrograms } from '../../src/app/tiers/evaluate-all.js';
import { authRepository } from '../../src/db/repositories/auth-repository.js';
import { loadFixture } from '../support/fixtures.js';
import { openTestStore, STORE_KINDS, type TestStore } from '../support/stores.js';

const T0 = new Date('2017-07-01T00:00:00.000Z');

/** The operator's `trellis users add` and the scheduler's daily tier run, over the fixture, on each store. */
describe.each(STORE_KINDS)('operator commands on %s', (kind) => {
  let ts: TestStore;
  let ctx: AppContext;
  beforeAll(async () => {
    ts = await openTestStore(kind);
    ctx = createContext(ts.store, { clock: { now: () => T0 } });
    await loadFixture(ctx);
  });
  afterAll(() => ts.cleanup());

  it('adds a vendor person and a partner person with their role and regions, audited', async () => {
    const { personId } = await addPerson(ctx, {
      email: ' New.Manager@Dell.test ',
      name: 'New Manager',
      role: 'channel-manager',
      vendor: 'dell',
      regions: ['emea'],
    });
    const person = await authRepository(ts.store.db).personByEmail('new.manager@dell.test');
    expect(person).toMatchObject({ id: personId, name: 'New Manager', partnerId: null });
    expect(person?.vendorId).toMatch(/^vnd_/);
    expect(person?.roles).toEqual([{ role: 'channel-manager', regions: '["emea"]' }]);

    const rep = await addPerson(ctx, {
      email: 'second.rep@alpha.test',
      name: 'Second Rep',
      role: 'partner-sales-rep',
      partner: 'ptn_alpha',
    });
    const repRow = await authRepository(ts.store.db).personById(rep.personId);
    expect(repRow).toMatchObject({ vendorId: null, partnerId: 'ptn_alpha' });
    expect(repRow?.roles).toEqual([{ role: 'partner-sales-rep', regions: '[]' }]);

    const audit = await ts.store.db
      .selectFrom('auditEvents')
      .select(['targetId', 'action'])
      .where('action', '=', 'person.create')
      .orderBy('targetId')
      .execute();
    expect(audit.map((a) => a.targetId).sort()).toEqual([personId, rep.personId].sort());
  });

  it('refuses an unknown partner, an unknown vendor and an email already taken, adding nobody', async () => {
    const before = await ts.store.db
      .selectFrom('people')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirstOrThrow();
    await expect(
      addPerson(ctx, { email: 'x@nowhere.test', name: 'X', role: 'partner-admin', partner: 'ptn_nope' }),
    ).rejects.toMatchObject({ code: 'not_found', message: 'no partner has the id ptn_nope' });
    await expect(
      addPerson(ctx, { email: 'x@nowhere.test', name: 'X', role: 'vendor-admin', vendor: 'nope' }),
    ).rejects.toMatchObject({ code: 'not_found' });
    await expect(
      addPerson(ctx, { email: 'NEW.MANAGER@dell.test', name: 'Again', role: 'vendor-admin', vendor: 'dell' }),
    ).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('new.manager@dell.test') });
    const after = await ts.store.db
      .selectFrom('people')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('marks a distributor as standing for a vendor, idempotently, refuses a reseller and unknowns, and clears it', async () => {
    const op = { actor: { kind: 'system' as const, id: 'cli' } };
    const dell = await ctx.repos.vendors.findBySlug('dell');
    expect(await linkDistributor(ctx, op, { partnerId: 'ptn_dist', vendor: 'dell' })).toMatchObject({
      partnerId: 'ptn_dist',
      represents: 'dell',
      changed: true,
    });
    // By id as well as by slug; the second time nothing changes.
    expect(await linkDistributor(ctx, op, { partnerId: 'ptn_dist', vendor: dell!.id })).toMatchObject({
      represents: 'dell',
      changed: false,
    });
    expect((await ctx.repos.partners.findById('ptn_dist'))?.representsVendorId).toBe(dell!.id);
    await expect(linkDistributor(ctx, op, { partnerId: 'ptn_alpha', vendor: 'dell' })).rejects.toMatchObject({
      code: 'invalid_input',
    });
    await expect(linkDistributor(ctx, op, { partnerId: 'ptn_dist', vendor: 'nope' })).rejects.toMatchObject({
      code: 'invalid_input',
    });
    await expect(linkDistributor(ctx, op, { partnerId: 'ptn_nope', vendor: null })).rejects.toMatchObject({
      code: 'not_found',
    });
    expect(await linkDistributor(ctx, op, { partnerId: 'ptn_dist', vendor: null })).toMatchObject({
      represents: null,
      changed: true,
    });
    expect((await ctx.repos.partners.findById('ptn_dist'))?.representsVendorId).toBeNull();
    // The update is conditional on the value read: a stale read changes nothing.
    expect(await ctx.repos.partners.setRepresents('ptn_dist', dell!.id, 'vnd_contoso')).toBe(false);
    expect((await ctx.repos.partners.findById('ptn_dist'))?.representsVendorId).toBeNull();
    const audit = await ts.store.db
      .selectFrom('auditEvents')
      .select('targetId')
      .where('action', '=', 'partner.represents')
      .execute();
    expect(audit).toEqual([{ targetId: 'ptn_dist' }, { targetId: 'ptn_dist' }]);
  });

  it('evaluates every program with a published version in force on the day, once each, and none before', async () => {
    const summaries = await evaluateAllPrograms(ctx, '2017-06-30');
    // Dell's FY18 version is in force; VMware's only version starts in 2021; Contoso's program has none.
    expect(summaries.map((s) => s.program.code)).toEqual(['dell-emc-partner-program']);
    expect(summaries[0]?.asOf).toBe('2017-06-30');
    expect((await evaluateAllPrograms(ctx, '2021-06-30')).map((s) => s.program.code)).toEqual([
      'vmware-partner-connect',
    ]);
    expect(await evaluateAllPrograms(ctx, '2016-12-31')).toEqual([]);
  });
});
