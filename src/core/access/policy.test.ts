import { describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../model/people.js';
import { TOKEN_SCOPES, type Actor, type TokenScope } from './actor.js';
import {
  ACTIONS,
  authorize,
  inScope,
  readsStandingOf,
  RESOURCES,
  scopeOf,
  tokenScopeFor,
  tokenScopesOf,
  type Permission,
} from './policy.js';

const person = (
  roles: Role[],
  org: { vendorId?: string; partnerId?: string },
  regions: string[] = [],
): Actor => ({
  kind: 'person',
  personId: 'per_1',
  sessionId: 'ses_1',
  email: 'a@b.c',
  name: 'A',
  vendorId: org.vendorId ?? null,
  partnerId: org.partnerId ?? null,
  roles,
  regions,
});

const read = (resource: Permission['resource']): Permission => ({ resource, action: 'read' });

describe('authorize', () => {
  it('refuses anonymous callers as unauthenticated', () => {
    expect(authorize(null, read('order'))).toMatchObject({ allowed: false, status: 'unauthenticated' });
  });

  it('gives vendor roles their vendor scope, and channel managers their regions', () => {
    expect(authorize(person(['vendor-admin'], { vendorId: 'vnd_d' }), read('order'))).toEqual({
      allowed: true,
      scope: { kind: 'vendor', vendorId: 'vnd_d', regions: [] },
    });
    expect(authorize(person(['channel-manager'], { vendorId: 'vnd_d' }, ['emea']), read('order'))).toEqual({
      allowed: true,
      scope: { kind: 'vendor', vendorId: 'vnd_d', regions: ['emea'] },
    });
  });

  it('lets only vendor admins and auditors read the audit trail', () => {
    const allowed: Role[] = ['vendor-admin', 'auditor'];
    for (const role of ['vendor-admin', 'channel-manager', 'auditor'] as Role[]) {
      expect(authorize(person([role], { vendorId: 'vnd_d' }), read('audit')).allowed).toBe(
        allowed.includes(role),
      );
    }
    for (const role of ['partner-admin', 'partner-sales-rep', 'distributor'] as Role[]) {
      expect(authorize(person([role], { partnerId: 'ptn_a' }), read('audit'))).toMatchObject({
        allowed: false,
        status: 'forbidden',
      });
    }
  });

  it('keeps auditors read-only', () => {
    expect(
      authorize(person(['auditor'], { vendorId: 'vnd_d' }), { resource: 'order', action: 'write' }).allowed,
    ).toBe(false);
    expect(
      authorize(person(['auditor'], { vendorId: 'vnd_d' }), { resource: 'token', action: 'manage' }).allowed,
    ).toBe(false);
  });

  it('scopes sales reps to what they own, partner admins to the whole company', () => {
    expect(scopeOf(person(['partner-sales-rep'], { partnerId: 'ptn_a' }))).toEqual({
      kind: 'partner',
      partnerId: 'ptn_a',
      ownerPersonId: 'per_1',
    });
    expect(scopeOf(person(['partner-admin', 'partner-sales-rep'], { partnerId: 'ptn_a' }))).toEqual({
      kind: 'partner',
      partnerId: 'ptn_a',
      ownerPersonId: null,
    });
  });

  it('holds tokens to their scopes and never lets them manage tokens', () => {
    const token: Actor = {
      kind: 'token',
      tokenId: 'tok_1',
      vendorId: null,
      partnerId: 'ptn_dist',
      role: 'distributor',
      scopes: ['orders:write'],
    };
    expect(authorize(token, read('order'))).toMatchObject({
      allowed: false,
      reason: expect.stringMatching(/"read" scope/),
    });
    expect(authorize(token, { resource: 'order', action: 'write' }).allowed).toBe(true);
    const admin: Actor = {
      kind: 'token',
      tokenId: 'tok_2',
      vendorId: 'vnd_d',
      partnerId: null,
      role: 'vendor-admin',
      scopes: ['read'],
    };
    expect(authorize(admin, { resource: 'token', action: 'manage' }).allowed).toBe(false);
  });
});

describe('inScope', () => {
  const order = { vendorId: 'vnd_d', partnerIds: ['ptn_r', 'ptn_dist'], region: 'emea' };
  it('shows a vendor its own records only, within its regions', () => {
    expect(inScope({ kind: 'vendor', vendorId: 'vnd_d', regions: [] }, order)).toBe(true);
    expect(inScope({ kind: 'vendor', vendorId: 'vnd_v', regions: [] }, order)).toBe(false);
    expect(inScope({ kind: 'vendor', vendorId: 'vnd_d', regions: ['na'] }, order)).toBe(false);
  });
  it('shows a partner only records it is involved in, and a rep only what it owns', () => {
    expect(inScope({ kind: 'partner', partnerId: 'ptn_dist', ownerPersonId: null }, order)).toBe(true);
    expect(inScope({ kind: 'partner', partnerId: 'ptn_other', ownerPersonId: null }, order)).toBe(false);
    const deal = { vendorId: 'vnd_d', partnerIds: ['ptn_r'], ownerPersonId: 'per_2' };
    expect(inScope({ kind: 'partner', partnerId: 'ptn_r', ownerPersonId: 'per_1' }, deal)).toBe(false);
    expect(inScope({ kind: 'partner', partnerId: 'ptn_r', ownerPersonId: 'per_2' }, deal)).toBe(true);
  });
});

describe('token scopes', () => {
  const token = (role: Role, scopes: TokenScope[]): Actor => ({
    kind: 'token',
    tokenId: 'tok_1',
    vendorId: role.startsWith('partner') || role === 'distributor' ? null : 'vnd_d',
    partnerId: role.startsWith('partner') || role === 'distributor' ? 'ptn_a' : null,
    role,
    scopes,
  });

  it('has no scope that opens nothing: each lets some role do something a token may do', () => {
    for (const scope of TOKEN_SCOPES) {
      const opens = RESOURCES.flatMap((resource) =>
        ACTIONS.filter((action) => tokenScopeFor({ resource, action }) === scope).map((action) => ({
          resource,
          action,
        })),
      );
      expect(opens.length, scope).toBeGreaterThan(0);
      const used = ROLES.some((role) => opens.some((p) => authorize(token(role, [scope]), p).allowed));
      expect(used, scope).toBe(true);
    }
  });

  it('offers a role only the scopes that do something for it', () => {
    expect(tokenScopesOf('partner-admin')).toEqual([
      'read',
      'settlement:write',
      'disputes:write',
      'deals:write',
      'engagement:write',
      'files:write',
    ]);
    expect(tokenScopesOf('distributor')).toEqual([
      'read',
      'orders:write',
      'settlement:write',
      'disputes:write',
      'files:write',
    ]);
    expect(tokenScopesOf('auditor')).toEqual(['read']);
    for (const role of ROLES)
      for (const scope of tokenScopesOf(role)) {
        const opens = RESOURCES.flatMap((resource) =>
          ACTIONS.filter((action) => tokenScopeFor({ resource, action }) === scope).map((action) => ({
            resource,
            action,
          })),
        );
        expect(
          opens.some((p) => authorize(token(role, [scope]), p).allowed),
          `${role} ${scope}`,
        ).toBe(true);
      }
  });

  it('names the missing scope of every write, never "none"', () => {
    for (const resource of RESOURCES)
      for (const action of ACTIONS) {
        for (const role of ROLES) {
          const d = authorize(token(role, []), { resource, action });
          if (!d.allowed) expect(d.reason, `${role} ${action} ${resource}`).not.toMatch(/"none"/);
        }
      }
    const d = authorize(token('partner-admin', ['read']), { resource: 'dispute', action: 'write' });
    expect(d).toMatchObject({ allowed: false, reason: expect.stringMatching(/"disputes:write" scope/) });
  });
});

describe('readsStandingOf', () => {
  it("lets a partner read its own standing only, and vendors their partners'", () => {
    expect(readsStandingOf({ kind: 'partner', partnerId: 'ptn_dist', ownerPersonId: null }, 'ptn_r')).toBe(
      false,
    );
    expect(readsStandingOf({ kind: 'partner', partnerId: 'ptn_r', ownerPersonId: 'per_1' }, 'ptn_r')).toBe(
      true,
    );
    expect(readsStandingOf({ kind: 'vendor', vendorId: 'vnd_d', regions: [] }, 'ptn_r')).toBe(true);
  });
});
