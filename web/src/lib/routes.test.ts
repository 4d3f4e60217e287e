import { describe, expect, it } from 'vitest';
import { detailPath, isCurrentSection, matchRoute, safeNext, signInPath } from './routes';

describe('matchRoute', () => {
  it('matches the overview, lists and details', () => {
    expect(matchRoute('/')).toEqual({ name: 'overview' });
    expect(matchRoute('')).toEqual({ name: 'overview' });
    expect(matchRoute('/partners')).toEqual({ name: 'list', resource: 'partners' });
    expect(matchRoute('/partners/')).toEqual({ name: 'list', resource: 'partners' });
    expect(matchRoute('/orders/ord_1a')).toEqual({ name: 'detail', resource: 'orders', id: 'ord_1a' });
    expect(matchRoute('/programs/dell-emc-partner-program')).toEqual({
      name: 'detail',
      resource: 'programs',
      id: 'dell-emc-partner-program',
    });
  });
  it('matches the settlement pages', () => {
    expect(matchRoute('/statements')).toEqual({ name: 'list', resource: 'statements' });
    expect(matchRoute('/statements/stm_1')).toEqual({ name: 'detail', resource: 'statements', id: 'stm_1' });
    expect(matchRoute('/disputes/dsp_1')).toEqual({ name: 'detail', resource: 'disputes', id: 'dsp_1' });
    expect(matchRoute('/closes')).toEqual({ name: 'list', resource: 'closes' });
  });
  it('decodes path segments', () => {
    expect(matchRoute('/programs/a%20b')).toEqual({ name: 'detail', resource: 'programs', id: 'a b' });
    expect(matchRoute('/programs/%E0%A4%A')).toMatchObject({ id: '%E0%A4%A' });
  });
  it('matches the sign-in page', () => {
    expect(matchRoute('/sign-in')).toEqual({ name: 'sign-in' });
    expect(matchRoute('/reset-password')).toEqual({ name: 'reset-password' });
  });
  it('reports unknown paths', () => {
    expect(matchRoute('/vendors')).toEqual({ name: 'not-found', path: '/vendors' });
    expect(matchRoute('/orders/a/b')).toEqual({ name: 'not-found', path: '/orders/a/b' });
  });
  it('round-trips detail paths', () => {
    const path = detailPath('programs', 'x/y z');
    expect(path).toBe('/programs/x%2Fy%20z');
    expect(matchRoute(path)).toEqual({ name: 'detail', resource: 'programs', id: 'x/y z' });
  });
});

describe('isCurrentSection', () => {
  it('keeps a section current on its detail pages', () => {
    expect(isCurrentSection('/', '/')).toBe(true);
    expect(isCurrentSection('/', '/partners')).toBe(false);
    expect(isCurrentSection('/partners', '/partners/prt_1')).toBe(true);
    expect(isCurrentSection('/partners', '/partnersx')).toBe(false);
  });
});

describe('sign-in redirects', () => {
  it('only follows same-site paths', () => {
    expect(safeNext('/partners?q=a')).toBe('/partners?q=a');
    expect(safeNext('//evil.example')).toBe('/');
    expect(safeNext('https://evil.example')).toBe('/');
    expect(safeNext('/sign-in')).toBe('/');
    expect(safeNext(null)).toBe('/');
  });
  it('remembers where the person was', () => {
    expect(signInPath('/partners?q=a')).toBe('/sign-in?next=%2Fpartners%3Fq%3Da');
    expect(signInPath('/')).toBe('/sign-in');
  });
});
