import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseProgramDocument } from '../programs/parse.js';
import { renderEnglish } from '../messages/message.js';
import type { ProgramDefinition, QualificationPolicy } from '../programs/types.js';
import { checkInvitation, lastDayOf } from './invitations.js';
import type { StatusGrant } from './invitations.js';
import { decideTierChange, nextAuditDate, type DecideTierChangeInput } from './membership.js';
import { statusMatch } from './status-match.js';

function loadProgram(file: string): ProgramDefinition {
  const path = join(import.meta.dirname, '..', '..', '..', 'programs', file);
  const parsed = parseProgramDocument(readFileSync(path, 'utf8'), path);
  if (!parsed.ok || parsed.document.kind !== 'Program') throw new Error(`cannot load ${file}`);
  return parsed.document;
}

const dell = loadProgram('dell-emc-fy18.yaml');
const vmware = loadProgram('vmware-partner-connect-fy22.yaml');
const tiers = dell.tiers.map((t) => t.code);
const policy = dell.qualification;

describe('status match (Dell EMC merge)', () => {
  it('Dell Premier Plus + EMC Gold: the higher of Titanium and Platinum', () => {
    const r = statusMatch(dell, [
      { program: 'dell-partnerdirect', tier: 'premier-plus' },
      { program: 'emc-business-partner-program', tier: 'gold' },
    ]);
    expect(r.tier).toBe('titanium');
    expect(r.mapping).toEqual({
      program: 'dell-partnerdirect',
      legacyTier: 'premier-plus',
      tier: 'titanium',
      rank: 3,
    });
    expect(r.candidates.map((c) => c.tier)).toEqual(['titanium', 'platinum']);
    expect(r.grandfatheredUntil).toBe('2018-02-01');
    expect(r.effectiveFrom).toBe('2017-02-01');
    expect(r.reason).toMatch(/highest/);
  });

  it('Dell Premier + EMC Gold both map to Platinum; the order of the list does not change the tier', () => {
    expect(
      statusMatch(dell, [
        { program: 'emc-business-partner-program', tier: 'gold' },
        { program: 'Dell PartnerDirect', tier: 'Premier' },
      ]).tier,
    ).toBe('platinum');
    expect(
      statusMatch(dell, [
        { program: 'emc-business-partner-program', tier: 'platinum' },
        { program: 'dell-partnerdirect', tier: 'Premier+' },
      ]).tier,
    ).toBe('titanium');
  });

  it('lists unknown legacy programs and tiers as ignored, with why', () => {
    const r = statusMatch(dell, [
      { program: 'hp-partner-first', tier: 'platinum' },
      { program: 'emc-business-partner-program', tier: 'diamond' },
      { program: 'emc-business-partner-program', tier: 'silver' },
    ]);
    expect(r.tier).toBe('gold');
    expect(r.ignored).toHaveLength(2);
    expect(r.ignored[0]?.why).toMatch(/not a legacy program/);
    expect(r.ignored[1]?.why).toMatch(/not mapped/);
    expect(statusMatch(dell, []).tier).toBeNull();
    expect(statusMatch(vmware, [{ program: 'x', tier: 'y' }])).toMatchObject({
      tier: null,
      ignored: [{ program: 'x' }],
    });
  });
});

describe('Titanium Black invitations', () => {
  const request = {
    partnerId: 'p-1',
    currentTier: 'titanium',
    grantedOn: '2017-03-15',
    sponsor: 'EVP Channel',
    reason: 'Strategic storage partner',
    existingGrants: [] as StatusGrant[],
  };

  it('is granted for exactly one year at Titanium', () => {
    const r = checkInvitation(dell, 'titanium-black', request);
    expect(r).toEqual({
      ok: true,
      status: 'titanium-black',
      validFrom: '2017-03-15',
      validTo: '2018-03-15',
      renewal: false,
    });
    if (r.ok) expect(lastDayOf(r)).toBe('2018-03-14');
  });

  it('is refused below Titanium, without sponsor or reason, with every reason', () => {
    const r = checkInvitation(dell, 'titanium-black', {
      ...request,
      currentTier: 'platinum',
      sponsor: null,
      reason: ' ',
    });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.reasons).toHaveLength(3);
      expect(r.reasons[0]).toMatch(/drawn from titanium partners; the partner is platinum/);
      expect(r.reasons[1]).toMatch(/executive sponsor/);
      expect(r.reasons[2]).toMatch(/reason is required/);
    }
    expect(checkInvitation(dell, 'platinum-black', request)).toMatchObject({ ok: false });
  });

  it('respects maxGrants and renews from the end of the current grant', () => {
    const others: StatusGrant[] = Array.from({ length: 50 }, (_, i) => ({
      partnerId: `other-${i}`,
      validFrom: '2017-02-01',
      validTo: '2018-02-01',
    }));
    const full = checkInvitation(dell, 'titanium-black', { ...request, existingGrants: others });
    expect(full.ok).toBe(false);
    if (!full.ok) expect(full.reasons[0]).toMatch(/limited to 50 partners and 50 hold it/);
    // After the others expire there is room again.
    expect(
      checkInvitation(dell, 'titanium-black', { ...request, grantedOn: '2018-02-01', existingGrants: others })
        .ok,
    ).toBe(true);

    const own: StatusGrant = { partnerId: 'p-1', validFrom: '2017-03-15', validTo: '2018-03-15' };
    const renewal = checkInvitation(dell, 'titanium-black', {
      ...request,
      grantedOn: '2018-02-20',
      existingGrants: [own],
    });
    expect(renewal).toEqual({
      ok: true,
      status: 'titanium-black',
      validFrom: '2018-03-15',
      validTo: '2019-03-15',
      renewal: true,
    });
    const notRenewable: ProgramDefinition = {
      ...dell,
      statuses: dell.statuses.map((s) => ({ ...s, renewable: false })),
    };
    expect(
      checkInvitation(notRenewable, 'titanium-black', {
        ...request,
        grantedOn: '2018-04-01',
        existingGrants: [own],
      }).ok,
    ).toBe(false);
  });
});

describe('tier changes', () => {
  const earnedPlatinum = { tier: 'platinum', since: '2017-02-01', source: 'earned' as const };

  it('upgrades at once', () => {
    expect(
      decideTierChange({ current: earnedPlatinum, evaluated: 'titanium', asOf: '2017-06-10', policy, tiers }),
    ).toEqual({
      action: 'upgrade',
      tier: 'titanium',
      effectiveFrom: '2017-06-10',
      reason: expect.stringMatching(/at once/),
      reasonMessage: { key: 'tiers.upgrade', params: { target: 'titanium', current: 'platinum' } },
    });
    expect(
      decideTierChange({
        current: earnedPlatinum,
        evaluated: { tier: 'platinum' },
        asOf: '2017-06-10',
        policy,
        tiers,
      }).action,
    ).toBe('none');
  });

  it('a downgrade waits for the yearly audit under at-audit', () => {
    const held = decideTierChange({
      current: earnedPlatinum,
      evaluated: 'gold',
      asOf: '2018-06-10',
      policy,
      tiers,
    });
    expect(held).toMatchObject({
      action: 'hold',
      tier: 'platinum',
      effectiveFrom: '2017-02-01',
      downgradeFrom: '2019-02-01',
    });
    expect(held.reason).toMatch(/yearly audit \(2019-02-01\)/);
    expect(
      decideTierChange({ current: earnedPlatinum, evaluated: 'gold', asOf: '2019-02-01', policy, tiers }),
    ).toMatchObject({
      action: 'downgrade',
      tier: 'gold',
      effectiveFrom: '2019-02-01',
    });
    expect(
      decideTierChange({
        current: earnedPlatinum,
        evaluated: 'authorized',
        asOf: '2018-06-10',
        policy,
        tiers,
        isAuditDate: true,
      }),
    ).toMatchObject({ action: 'downgrade', tier: 'authorized' });
  });

  it('downgrades at once under immediately, once the tier is no longer protected', () => {
    const immediately = { ...policy, downgrade: 'immediately' as const };
    expect(
      decideTierChange({
        current: earnedPlatinum,
        evaluated: 'gold',
        asOf: '2018-06-10',
        policy: immediately,
        tiers,
      }),
    ).toMatchObject({
      action: 'downgrade',
      effectiveFrom: '2018-06-10',
    });
    // Within the policy's grandfathering (a tier is kept 12 months), even immediately holds.
    expect(
      decideTierChange({
        current: earnedPlatinum,
        evaluated: 'gold',
        asOf: '2017-09-10',
        policy: immediately,
        tiers,
      }),
    ).toMatchObject({
      action: 'hold',
      downgradeFrom: '2018-02-01',
    });
    const noGrandfathering = { ...immediately, grandfathering: null };
    expect(
      decideTierChange({
        current: earnedPlatinum,
        evaluated: 'gold',
        asOf: '2017-09-10',
        policy: noGrandfathering,
        tiers,
      }).action,
    ).toBe('downgrade');
  });

  it('a status-matched tier is not downgraded before grandfatheredUntil', () => {
    const matched = statusMatch(dell, [{ program: 'dell-partnerdirect', tier: 'premier-plus' }]);
    const current = {
      tier: matched.tier ?? '',
      since: matched.effectiveFrom ?? '',
      source: 'status-match' as const,
      grandfatheredUntil: matched.grandfatheredUntil,
    };
    const early = decideTierChange({
      current,
      evaluated: 'gold',
      asOf: '2017-09-01',
      policy,
      tiers,
      isAuditDate: true,
    });
    expect(early).toMatchObject({ action: 'hold', tier: 'titanium', downgradeFrom: '2018-02-01' });
    expect(early.reason).toMatch(/grandfathered|kept/);
    expect(decideTierChange({ current, evaluated: 'gold', asOf: '2018-02-01', policy, tiers })).toMatchObject(
      {
        action: 'downgrade',
        tier: 'gold',
        effectiveFrom: '2018-02-01',
      },
    );
  });

  it('next audit date', () => {
    expect(nextAuditDate('2017-02-01', policy.auditDate)).toBe('2017-02-01');
    expect(nextAuditDate('2017-02-02', policy.auditDate)).toBe('2018-02-01');
  });
});

describe('tier decisions say why in English as they always have, and as messages', () => {
  const ranks = ['registered', 'gold', 'platinum', 'titanium'];
  const at = (o: Partial<QualificationPolicy>): QualificationPolicy => ({
    ...policy,
    downgrade: 'at-audit',
    auditDate: { month: 2, day: 1 },
    grandfathering: null,
    ...o,
  });
  const earned = (tier: string, since = '2017-02-01') => ({ tier, since, source: 'earned' as const });
  const matched = {
    tier: 'platinum',
    since: '2017-02-01',
    source: 'status-match' as const,
    grandfatheredUntil: '2019-06-30',
  };
  const kept = at({ grandfathering: { months: 12, days: 0 } });
  const cases: [DecideTierChangeInput['current'], string, string, QualificationPolicy, string][] = [
    [
      earned('gone'),
      'gold',
      '2018-01-01',
      at({}),
      'current tier "gone" is not a tier of this program; evaluated gold applies',
    ],
    [earned('gold'), 'gold', '2018-01-01', at({}), 'still qualifies for gold'],
    [
      earned('gold'),
      'titanium',
      '2018-01-01',
      at({}),
      'qualifies for titanium (above gold); upgrades apply at once',
    ],
    [
      earned('platinum'),
      'gold',
      '2018-06-10',
      at({}),
      'evaluated gold, below platinum: downgrades wait for the yearly audit (2019-02-01)',
    ],
    [
      earned('platinum'),
      'gold',
      '2019-02-01',
      at({}),
      'no longer qualifies for platinum; downgraded to gold at the yearly audit',
    ],
    [
      earned('platinum'),
      'gold',
      '2019-03-01',
      at({ downgrade: 'immediately' }),
      'no longer qualifies for platinum; downgraded to gold (downgrades apply immediately)',
    ],
    [
      matched,
      'gold',
      '2019-03-01',
      at({ downgrade: 'immediately' }),
      'evaluated gold, below platinum: grandfathered (status-match) until 2019-06-30; no downgrade before 2019-06-30',
    ],
    [
      matched,
      'registered',
      '2019-03-01',
      at({}),
      'evaluated registered, below platinum: grandfathered (status-match) until 2019-06-30; no downgrade before 2020-02-01',
    ],
    [
      earned('platinum', '2019-02-01'),
      'gold',
      '2019-03-01',
      kept,
      'evaluated gold, below platinum: a tier is kept at least until 2020-02-01 (held since 2019-02-01); no downgrade before 2020-02-01',
    ],
  ];
  it.each(cases)('%o evaluated %s on %s', (current, evaluated, asOf, p, text) => {
    const d = decideTierChange({ current, evaluated, asOf, policy: p, tiers: ranks });
    expect(d.reason).toBe(text);
    expect(renderEnglish(d.reasonMessage)).toBe(text);
    expect(d.reasonMessage.key).toMatch(/^tiers\./);
  });
});

describe('a status match says why as a message', () => {
  it('renders the English reason, the other matched tiers included', () => {
    const r = statusMatch(dell, [
      { program: 'emc-business-partner-program', tier: 'silver' },
      { program: 'emc-business-partner-program', tier: 'authorized' },
    ]);
    expect(r.reason).toBe(
      'emc-business-partner-program silver maps to gold, the highest of the matched tiers (also: emc-business-partner-program authorized -> authorized); grandfathered until 2018-02-01',
    );
    expect(renderEnglish(r.reasonMessage)).toBe(r.reason);
    expect(r.reasonMessage.key).toBe('tiers.statusMatched');
    expect(statusMatch(vmware, []).reason).toBe('vmware-partner-connect has no status match');
  });
});
