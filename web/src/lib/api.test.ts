import { describe, expect, it } from 'vitest';
import { ApiError, apiGet, apiPost, apiUrl, problemOf, readCookie, toProblem } from './api';

function fakeFetch(status: number, body: string, contentType = 'application/json'): typeof fetch {
  return (async () =>
    new Response(status === 204 ? null : body, {
      status,
      headers: { 'content-type': contentType },
    })) as unknown as typeof fetch;
}

describe('apiUrl', () => {
  it('leaves out empty values and keeps order', () => {
    expect(apiUrl('/api/partners', { q: 'acme corp', kind: '', region: undefined, limit: 50 })).toBe(
      '/api/partners?q=acme+corp&limit=50',
    );
    expect(apiUrl('/api/health')).toBe('/api/health');
  });
});

describe('toProblem', () => {
  it('keeps a problem+json body', () => {
    const p = toProblem(400, 'Bad Request', {
      type: 'https://trellis.dev/problems/invalid_input',
      title: 'Bad Request',
      status: 400,
      detail: 'querystring.country: must be an ISO code',
      code: 'invalid_input',
      errors: [{ location: 'querystring.country', message: 'must be an ISO code' }, 'junk'],
    });
    expect(p.detail).toBe('querystring.country: must be an ISO code');
    expect(p.code).toBe('invalid_input');
    expect(p.errors).toEqual([{ location: 'querystring.country', message: 'must be an ISO code' }]);
  });
  it('copes with bodies that are not problems', () => {
    expect(toProblem(502, 'Bad Gateway', 'upstream down')).toEqual({
      title: 'Bad Gateway',
      status: 502,
      detail: 'upstream down',
    });
    expect(toProblem(500, '', null).detail).toBe('The server answered 500.');
  });
});

describe('apiGet', () => {
  it('returns JSON bodies', async () => {
    const page = await apiGet<{ items: unknown[] }>('/api/vendors', {
      fetchImpl: fakeFetch(200, '{"items":[],"nextCursor":null}'),
    });
    expect(page.items).toEqual([]);
  });
  it('throws ApiError carrying the problem', async () => {
    const body = JSON.stringify({
      title: 'Not Found',
      status: 404,
      detail: 'no partner prt_1',
      code: 'not_found',
    });
    const err = await apiGet('/api/partners/prt_1', {
      fetchImpl: fakeFetch(404, body, 'application/problem+json'),
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(problemOf(err).detail).toBe('no partner prt_1');
    expect(problemOf(err).status).toBe(404);
  });
  it('accepts listed error statuses', async () => {
    const health = await apiGet<{ status: string }>('/api/health', {
      fetchImpl: fakeFetch(503, '{"status":"degraded"}'),
      acceptStatuses: [503],
    });
    expect(health.status).toBe('degraded');
  });
  it('reports network failures as problems', async () => {
    const failing = (async () => {
      throw new TypeError('Failed to fetch');
    }) as unknown as typeof fetch;
    const err = await apiGet('/api/health', { fetchImpl: failing }).catch((e: unknown) => e);
    expect(problemOf(err).title).toBe('Network error');
  });
  it('rejects HTML where JSON was expected', async () => {
    const err = await apiGet('/api/x', { fetchImpl: fakeFetch(200, '<html></html>', 'text/html') }).catch(
      (e: unknown) => e,
    );
    expect(problemOf(err).title).toBe('Unexpected response');
  });
});

describe('readCookie', () => {
  it('finds a cookie by name', () => {
    expect(readCookie('a=1; trellis_csrf=abc%3D; b=2', 'trellis_csrf')).toBe('abc=');
    expect(readCookie('xtrellis_csrf=1', 'trellis_csrf')).toBeNull();
    expect(readCookie('', 'trellis_csrf')).toBeNull();
  });
});

describe('apiPost', () => {
  it('sends JSON with the CSRF header and returns the answer', async () => {
    let seen: RequestInit | undefined;
    const fetchImpl = (async (_url: string, init: RequestInit) => {
      seen = init;
      return new Response('{"ok":true}', { status: 200, headers: { 'content-type': 'application/json' } });
    }) as unknown as typeof fetch;
    const answer = await apiPost<{ ok: boolean }>(
      '/api/auth/sign-in',
      { email: 'a@b.c' },
      { csrfToken: 't', fetchImpl },
    );
    expect(answer).toEqual({ ok: true });
    expect(seen?.method).toBe('POST');
    expect((seen?.headers as Record<string, string>)['x-csrf-token']).toBe('t');
    expect(seen?.body).toBe('{"email":"a@b.c"}');
  });
  it('returns null for 204 and throws problems', async () => {
    expect(await apiPost('/api/auth/sign-out', undefined, { fetchImpl: fakeFetch(204, '') })).toBeNull();
    const body = JSON.stringify({ title: 'Unauthorized', status: 401, detail: 'wrong email or password' });
    const err = await apiPost('/api/auth/sign-in', {}, { fetchImpl: fakeFetch(401, body) }).catch(
      (e: unknown) => e,
    );
    expect(problemOf(err).detail).toBe('wrong email or password');
  });
});
