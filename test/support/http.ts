import type { Server } from '../../src/server/types.js';
import { FIXTURE_PASSWORD } from './fixtures.js';

export interface Session {
  cookie: string;
  csrf: string;
}

/** Signs in through the API, as the web app does, and returns the cookie and CSRF token to send back. */
export async function signIn(app: Server, email: string, password = FIXTURE_PASSWORD): Promise<Session> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { email, password } });
  if (res.statusCode !== 200) throw new Error(`sign-in as ${email} failed: ${res.statusCode} ${res.body}`);
  const cookies = res.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  return { cookie: cookies, csrf: (res.json() as { csrfToken: string }).csrfToken };
}

export interface Reply {
  status: number;
  type: string;
  headers: Record<string, unknown>;
  body: Record<string, unknown>;
  text: string;
}

/** Calls the API as a signed-in person (cookie + CSRF header) or with a bearer token, or anonymously. */
export function client(app: Server, who: Session | { bearer: string } | null) {
  return async (
    method: 'GET' | 'POST' | 'DELETE' | 'PUT' | 'PATCH',
    url: string,
    payload?: unknown,
  ): Promise<Reply> => {
    const headers: Record<string, string> = {};
    if (who && 'cookie' in who) {
      headers.cookie = who.cookie;
      headers['x-csrf-token'] = who.csrf;
    }
    if (who && 'bearer' in who) headers.authorization = `Bearer ${who.bearer}`;
    const res = await app.inject({
      method,
      url,
      headers,
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
    let body: Record<string, unknown> = {};
    try {
      body = res.body ? (res.json() as Record<string, unknown>) : {};
    } catch {
      body = {};
    }
    return {
      status: res.statusCode,
      type: String(res.headers['content-type'] ?? ''),
      headers: res.headers,
      body,
      text: res.body,
    };
  };
}
