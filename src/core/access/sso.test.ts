import { describe, expect, it } from 'vitest';
import { emailDomain, issuerProblem, mappingProblems, mapRoles } from './sso.js';

const MAPPING = [
  { group: 'trellis-admins', role: 'vendor-admin' },
  { group: 'channel', role: 'channel-manager' },
  { group: 'channel-emea', role: 'channel-manager' },
] as const;

describe('mapping provider groups to Trellis roles', () => {
  it.each([
    [['channel'], ['channel-manager']],
    [['channel', 'channel-emea', 'unrelated'], ['channel-manager']],
    [
      ['trellis-admins', 'channel'],
      ['vendor-admin', 'channel-manager'],
    ],
    ['trellis-admins', ['vendor-admin']],
  ])('groups %j hold %j', (groups, roles) => {
    expect(mapRoles(groups, 'groups', MAPPING)).toEqual({
      status: 'mapped',
      roles,
      groups: Array.isArray(groups) ? groups : [groups],
    });
  });

  it.each([[undefined], [[]], [''], [42], [[1, 2]]])('refuses no groups (%j) naming the claim', (value) => {
    const r = mapRoles(value, 'roles', MAPPING);
    expect(r.status).toBe('refused');
    expect(r.status === 'refused' && r.reason).toMatch(/no "roles" claim/);
  });

  it('refuses groups none of which is mapped, naming them (names are case-sensitive)', () => {
    const r = mapRoles(['Channel', 'marketing'], 'groups', MAPPING);
    expect(r).toEqual({
      status: 'refused',
      reason:
        'none of your groups (Channel, marketing) is mapped to a Trellis role; ask your administrator to map one',
    });
  });
});

describe('a configuration', () => {
  it("keeps roles to the organisation's side", () => {
    expect(mappingProblems([{ group: 'a', role: 'vendor-admin' }], 'vendor')).toEqual([]);
    expect(mappingProblems([{ group: 'a', role: 'vendor-admin' }], 'partner')).toEqual([
      {
        location: 'body.roleMapping[0].role',
        message:
          'a partner\'s people may hold partner-admin, partner-sales-rep, distributor, not "vendor-admin"',
      },
    ]);
    expect(mappingProblems([{ group: 'a', role: 'root' }], 'vendor')).toHaveLength(1);
    expect(mappingProblems([], 'vendor')).toEqual([
      { location: 'body.roleMapping', message: 'map at least one group to a role' },
    ]);
  });

  it.each([
    ['https://login.example.com/realms/x', null],
    ['http://127.0.0.1:8080', null],
    ['http://localhost:8080/realms/x', null],
    ['http://login.example.com', /https/],
    ['ftp://login.example.com', /https/],
    ['not a url', /is not a URL/],
    ['https://login.example.com/?tenant=1', /no query/],
  ])('issuer %s', (issuer, problem) => {
    const found = issuerProblem(issuer);
    if (problem === null) expect(found).toBeNull();
    else expect(found).toMatch(problem);
  });

  it('reads e-mail domains', () => {
    expect(emailDomain(' Ann@Dell.COM ')).toBe('dell.com');
    expect(emailDomain('ann@localhost')).toBeNull();
    expect(emailDomain('no-at-sign')).toBeNull();
  });
});
