/**
 * Writes the administration screens send that lib/api's JSON POST does not: a DELETE, and a CSV file as
 * the body. As the signed-in person: the session cookie goes along, the CSRF cookie is echoed.
 */
import { ApiError, CSRF_COOKIE, CSRF_HEADER, readCookie, toProblem } from '../lib/api';

export async function sendSignedIn<T>(
  method: 'POST' | 'PUT' | 'DELETE',
  path: string,
  body?: { readonly text: string; readonly contentType: string },
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
  const csrf = readCookie(document.cookie, CSRF_COOKIE);
  if (csrf) headers[CSRF_HEADER] = csrf;
  if (body) headers['content-type'] = body.contentType;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      ...(body ? { body: body.text } : {}),
    });
  } catch (err) {
    throw new ApiError({
      title: 'Network error',
      status: 0,
      detail: `Could not reach the API (${err instanceof Error ? err.message : String(err)}).`,
    });
  }
  const text = await response.text();
  let answer: unknown = null;
  try {
    answer = text ? JSON.parse(text) : null;
  } catch {
    answer = text;
  }
  if (!response.ok) throw new ApiError(toProblem(response.status, response.statusText, answer));
  return answer as T;
}
