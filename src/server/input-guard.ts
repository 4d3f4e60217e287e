import { TrellisError, type ErrorDetail } from '../core/shared/errors.js';
import type { Server } from './types.js';

/** Control characters refused in path parameters and query strings: C0 and DEL. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_IN_URL = /[\u0000-\u001f\u007f]/;
/** In bodies, tab, line feed and carriage return are text (a dispute reason may have lines). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_IN_BODY = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

function codePoint(text: string, pattern: RegExp): string {
  const c = pattern.exec(text)?.[0] ?? '';
  return `U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Every string (and object key) of a parsed value with where it is, walked without recursion. */
function findControl(root: unknown, base: string, pattern: RegExp, limit = 20): ErrorDetail[] {
  const found: ErrorDetail[] = [];
  const stack: [unknown, string][] = [[root, base]];
  while (stack.length > 0 && found.length < limit) {
    const [value, at] = stack.pop() as [unknown, string];
    if (typeof value === 'string') {
      if (pattern.test(value))
        found.push({ location: at, message: `contains a control character (${codePoint(value, pattern)})` });
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => stack.push([v, `${at}.${i}`]));
    } else if (value !== null && typeof value === 'object') {
      // A streamed body (a CSV upload) or raw bytes are read by their handler.
      if (Buffer.isBuffer(value) || typeof (value as { pipe?: unknown }).pipe === 'function') continue;
      for (const [k, v] of Object.entries(value)) {
        if (pattern.test(k))
          found.push({
            location: at,
            message: `a key contains a control character (${codePoint(k, pattern)})`,
          });
        stack.push([v, `${at}.${k}`]);
      }
    }
  }
  return found;
}

/**
 * The one place that refuses control characters in what a caller sends: every path parameter, query
 * parameter and JSON body string (and key), before validation and before any handler, so no NUL reaches
 * a store (PostgreSQL refuses it in text; SQLite would keep it). A 400 problem names each place.
 */
export function installInputGuard(app: Server): void {
  app.addHook('preValidation', async (request) => {
    const errors = [
      ...findControl(request.params, 'params', CONTROL_IN_URL),
      ...findControl(request.query, 'querystring', CONTROL_IN_URL),
      ...findControl(request.body, 'body', CONTROL_IN_BODY),
    ];
    if (errors.length > 0)
      throw new TrellisError(
        'invalid_input',
        `control characters are not accepted: ${errors.map((e) => e.location).join(', ')}`,
        errors,
      );
  });
}
