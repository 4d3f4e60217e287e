import { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { csvRow } from '../core/shared/csv.js';
import type { Server } from './types.js';

/**
 * Every list as CSV, one way for all: a list route (its query built by `pageQuery`, its answer by
 * `pageOf`) answers `?format=csv` with the whole list under the same filters, sort and scope, as a CSV
 * file streamed page by page (each page read by the route's own handler, so the scope, the filters and the
 * checks are the JSON list's). Cells go through the one CSV writer (`core/shared/csv.ts`: quoting and
 * formula neutralisation). Columns are the fields of the list's item schema, in order; a nested value is
 * written as JSON, null as an empty cell, money as its integer minor units (as in the JSON).
 *
 * The first page is read before anything is sent, so a bad filter or cursor is still a problem+json 4xx.
 */

/** Rows read per page while streaming (the largest page a list route accepts). */
const EXPORT_PAGE = 500;

interface ListPage {
  items: Record<string, unknown>[];
  nextCursor: string | null;
}

/** True for the query schema of a list (pageQuery adds `format` with `cursor` and `limit`). */
function isListQuery(schema: unknown): boolean {
  const shape = (schema as { shape?: Record<string, unknown> } | undefined)?.shape;
  return !!shape && 'format' in shape && 'cursor' in shape && 'limit' in shape;
}

/**
 * The item fields of a `pageOf(item)` response schema, in order (empty when it cannot be read). A
 * sentence's message (`explanationMessage`, `sentenceMessage`...: the app's means of translating it) is
 * left out: the file has the sentence itself.
 */
export function listColumns(response: unknown): string[] {
  const items = (response as { shape?: { items?: { element?: { shape?: Record<string, unknown> } } } })?.shape
    ?.items;
  const shape = items?.element?.shape;
  return shape ? Object.keys(shape).filter((c) => !isMessageColumn(c)) : [];
}

export function isMessageColumn(column: string): boolean {
  return /[a-z]Messages?$/.test(column);
}

/** One cell's text: strings as they are, numbers and booleans as written in JSON, objects as JSON. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

function rowsOf(columns: readonly string[], items: readonly Record<string, unknown>[]): string {
  let out = '';
  for (const item of items) out += csvRow(columns.map((c) => cellText(item[c])));
  return out;
}

/** The file name offered for a list: `/api/orders` -> `orders.csv`, `/api/deal-flags` -> `deal-flags.csv`. */
export function exportFileName(url: string): string {
  const path = url.replace(/^\/api\//, '').replace(/\/:[A-Za-z]+/g, '');
  return `${path.replace(/[^a-z0-9-]+/gi, '-').replace(/^-|-$/g, '') || 'list'}.csv`;
}

type Handler = (this: unknown, request: FastifyRequest, reply: FastifyReply) => unknown;

/** Wraps every list route registered after it so that `?format=csv` streams the whole list as CSV. */
export function installCsvExport(app: Server): void {
  app.addHook('onRoute', (route: RouteOptions) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (!methods.includes('GET') || !isListQuery(route.schema?.querystring)) return;
    const response = (route.schema?.response as Record<string, unknown> | undefined)?.[200];
    const schemaColumns = listColumns(response);
    const handler = route.handler as Handler;
    const fileName = exportFileName(route.url);
    route.handler = async function (this: unknown, request: FastifyRequest, reply: FastifyReply) {
      const query = request.query as Record<string, unknown>;
      const format = query.format;
      delete query.format;
      if (format !== 'csv') return handler.call(this, request, reply);
      query.limit = EXPORT_PAGE;
      delete query.cursor;
      const first = (await handler.call(this, request, reply)) as ListPage;
      if (reply.sent) return reply;
      const columns =
        schemaColumns.length > 0
          ? schemaColumns
          : Object.keys(first.items[0] ?? {}).filter((c) => !isMessageColumn(c));
      const next = () => handler.call(this, request, reply) as Promise<ListPage>;
      async function* file(): AsyncGenerator<string> {
        yield csvRow(columns);
        let page = first;
        for (;;) {
          if (page.items.length > 0) yield rowsOf(columns, page.items);
          if (!page.nextCursor) return;
          query.cursor = page.nextCursor;
          page = await next();
        }
      }
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${fileName}"`)
        .send(Readable.from(file()) as never);
    };
  });
}
