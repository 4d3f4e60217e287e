import { describe, expect, it } from 'vitest';
import { ApiError, CSRF_HEADER } from '../lib/api';
import { createApiClient, getJson, serializeQuery, unwrap, uploadFile, urlOf, type GetData } from './client';

/** A fetch that records the requests it gets and answers with `respond`. */
function stubFetch(respond: (request: Request) => Response | Promise<Response>) {
  const requests: Request[] = [];
  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = input instanceof Request ? input : new Request(input, init);
    requests.push(request);
    return respond(request);
  }) as typeof globalThis.fetch;
  return { fetch, requests };
}

function json(body: unknown, status = 200, type = 'application/json'): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': type } });
}

const partner = {
  id: 'ptn_1',
  vendorId: 'vnd_1',
  name: 'Alpha',
  country: 'GB',
  region: 'EMEA',
  status: 'active',
  createdAt: '2026-01-01T00:00:00Z',
};

async function problemOf(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(ApiError);
    return (err as ApiError).problem;
  }
  throw new Error('expected an ApiError');
}

describe('the typed API client', () => {
  it('GETs a path with its parameters and answers with the typed body', async () => {
    const { fetch, requests } = stubFetch(() => json(partner));
    const client = createApiClient({ baseUrl: 'http://trellis.test', fetch });
    const got: GetData<'/api/partners/{partnerId}'> = await getJson(
      '/api/partners/{partnerId}',
      { params: { path: { partnerId: 'ptn 1/x' } } },
      { client },
    );
    expect(got.name).toBe('Alpha');
    expect(requests).toHaveLength(1);
    const request = requests[0]!;
    expect(request.method).toBe('GET');
    expect(request.url).toBe('http://trellis.test/api/partners/ptn%201%2Fx');
    expect(request.headers.get('accept')).toContain('application/problem+json');
    expect(request.headers.get(CSRF_HEADER)).toBeNull();
  });

  it('writes the query as lib/api.ts does: empty values left out, keys in order', async () => {
    const { fetch, requests } = stubFetch(() => json({ items: [], nextCursor: null }));
    const client = createApiClient({ baseUrl: 'http://trellis.test', fetch });
    await getJson('/api/partners', { params: { query: { limit: 50, q: '', sort: 'name' } } }, { client });
    expect(requests[0]?.url).toBe('http://trellis.test/api/partners?limit=50&sort=name');
    expect(serializeQuery({ a: ['x', 'y'], b: null, c: undefined, d: 0 })).toBe('a=x&a=y&d=0');
    expect(urlOf('/api/partners/{partnerId}/home', { params: { path: { partnerId: 'ptn_1' } } })).toBe(
      '/api/partners/ptn_1/home',
    );
  });

  it('turns a problem+json answer into an ApiError with the problem', async () => {
    const body = {
      type: 'https://trellis.dev/problems/not-found',
      title: 'Not Found',
      status: 404,
      detail: 'No partner ptn_9.',
      code: 'not-found',
      instance: '/api/partners/ptn_9',
      errors: [{ location: 'params.partnerId', message: 'unknown' }, { nonsense: true }],
    };
    const { fetch } = stubFetch(() => json(body, 404, 'application/problem+json'));
    const client = createApiClient({ baseUrl: 'http://trellis.test', fetch });
    const problem = await problemOf(
      getJson('/api/partners/{partnerId}', { params: { path: { partnerId: 'ptn_9' } } }, { client }),
    );
    expect(problem).toEqual({
      title: 'Not Found',
      status: 404,
      detail: 'No partner ptn_9.',
      type: body.type,
      code: 'not-found',
      instance: '/api/partners/ptn_9',
      errors: [{ location: 'params.partnerId', message: 'unknown' }],
    });
  });

  it('makes a problem of a non-JSON error, a network failure and an empty answer', async () => {
    const text = stubFetch(() => new Response('Bad gateway', { status: 502, statusText: 'Bad Gateway' }));
    expect(
      await problemOf(
        getJson('/api/me', undefined, { client: createApiClient({ baseUrl: 'http://t', ...text }) }),
      ),
    ).toMatchObject({ title: 'Bad Gateway', status: 502, detail: 'Bad gateway' });

    const down = stubFetch(() => Promise.reject(new TypeError('Failed to fetch')));
    expect(
      await problemOf(
        getJson('/api/me', undefined, { client: createApiClient({ baseUrl: 'http://t', ...down }) }),
      ),
    ).toEqual({
      title: 'Network error',
      status: 0,
      detail: 'Could not reach the API (Failed to fetch).',
      // The app says it in the person's language (problems.messages.unreachable).
      messageKey: 'unreachable',
      params: { reason: 'Failed to fetch' },
    });

    const empty = stubFetch(() => new Response(null, { status: 204 }));
    expect(
      await problemOf(
        getJson('/api/me', undefined, { client: createApiClient({ baseUrl: 'http://t', ...empty }) }),
      ),
    ).toMatchObject({ title: 'Unexpected response', status: 204 });
  });

  it('rethrows an abort as it is', async () => {
    const controller = new AbortController();
    controller.abort();
    const { fetch } = stubFetch((request) => {
      request.signal.throwIfAborted();
      return json(partner);
    });
    const client = createApiClient({ baseUrl: 'http://t', fetch });
    await expect(getJson('/api/me', undefined, { client, signal: controller.signal })).rejects.toMatchObject({
      name: 'AbortError',
    });
  });

  it('sends the CSRF token with writes, not with reads', async () => {
    const { fetch, requests } = stubFetch((request) =>
      request.method === 'GET' ? json({ count: 0 }) : new Response(null, { status: 204 }),
    );
    const client = createApiClient({ baseUrl: 'http://t', fetch, csrfToken: () => 'tok-1' });
    await unwrap(client.GET('/api/notifications/unread-count'));
    await unwrap(client.POST('/api/auth/sign-out'), false);
    expect(requests.map((r) => [r.method, r.headers.get(CSRF_HEADER)])).toEqual([
      ['GET', null],
      ['POST', 'tok-1'],
    ]);
  });
});

describe('problems the app translates', () => {
  it("keeps the server's messageKey and params, and gives a code to what it says itself", async () => {
    const { toProblem } = await import('../lib/api');
    expect(
      toProblem(404, 'Not Found', {
        title: 'Not Found',
        status: 404,
        detail: 'partner ptn_x was not found',
        messageKey: 'notFound',
        params: { what: 'partner', id: 'ptn_x', nested: { dropped: true } },
      }),
    ).toMatchObject({ messageKey: 'notFound', params: { what: 'partner', id: 'ptn_x' } });
    expect(toProblem(502, 'Bad Gateway', null)).toMatchObject({
      detail: 'The server answered 502 Bad Gateway.',
      messageKey: 'serverAnswered',
      params: { status: 502, statusText: 'Bad Gateway' },
    });
  });
});

describe('uploadFile', () => {
  it('posts the fields then the file as multipart/form-data, with the CSRF header', async () => {
    const stored = {
      id: 'fil_1',
      vendorId: 'vnd_1',
      partnerId: 'ptn_1',
      purpose: 'mdf-proof',
      fileName: 'proof.pdf',
      contentType: 'application/pdf',
      sizeBytes: 9,
      sha256: 'ab',
      uploadedBy: 'per_1',
      uploadedAt: '2026-12-06T00:00:00Z',
    };
    const { fetch, requests } = stubFetch(() => json(stored, 201));
    const file = new File(['%PDF-1.7\n'], 'proof.pdf', { type: 'application/pdf' });
    const answer = await uploadFile(file, {
      purpose: 'mdf-proof',
      vendorId: 'vnd_1',
      baseUrl: 'http://trellis.test',
      fetch,
      csrfToken: () => 'tok',
    });
    expect(answer).toEqual(stored);
    const request = requests[0] as Request;
    expect(request.method).toBe('POST');
    expect(new URL(request.url, 'http://x').pathname).toBe('/api/files');
    expect(request.headers.get(CSRF_HEADER)).toBe('tok');
    const form = await request.formData();
    expect([...form.keys()]).toEqual(['purpose', 'vendorId', 'file']);
    expect((form.get('file') as File).name).toBe('proof.pdf');
  });

  it("turns a refusal into an ApiError with the server's messageKey", async () => {
    const { fetch } = stubFetch(() =>
      json(
        {
          title: 'Unsupported Media Type',
          status: 415,
          detail: 'setup.pdf is a Windows executable',
          code: 'unsupported_type',
          messageKey: 'fileTypeRefused',
          params: { name: 'setup.pdf', extension: 'pdf' },
        },
        415,
        'application/problem+json',
      ),
    );
    const err = await uploadFile(new File(['MZ'], 'setup.pdf'), {
      purpose: 'mdf-proof',
      baseUrl: 'http://trellis.test',
      fetch,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).problem).toMatchObject({ status: 415, messageKey: 'fileTypeRefused' });
  });
});
