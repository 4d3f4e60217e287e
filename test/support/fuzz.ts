import fc from 'fast-check';

/**
 * Bad-input generation for the route fuzz, driven by the OpenAPI document: every operation, its path and
 * query parameters and its JSON body schema, so a new route or parameter is fuzzed the moment it exists.
 * Sampling is deterministic: each request's seed comes from the operation, the actor and the sample index.
 */

type Schema = Record<string, unknown>;

export interface OpenApiDocument {
  paths: Record<string, Record<string, OperationObject>>;
  components?: { schemas?: Record<string, Schema> };
}

interface OperationObject {
  parameters?: { in: string; name: string; schema?: Schema; required?: boolean }[];
  requestBody?: { content: Record<string, { schema?: Schema }> };
}

export interface FuzzParam {
  name: string;
  schema: Schema;
}

export interface FuzzOperation {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  key: string;
  pathParams: FuzzParam[];
  query: FuzzParam[];
  /** The JSON body schema (refs resolved lazily), or null when the route takes no JSON body. */
  body: Schema | null;
}

export interface FuzzRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: string;
  payload?: string;
  contentType?: string;
  /** What was made bad, for the failure message. */
  what: string;
}

export function fuzzOperations(doc: OpenApiDocument): FuzzOperation[] {
  const ops: FuzzOperation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [m, op] of Object.entries(item)) {
      const method = m.toUpperCase();
      if (method !== 'GET' && method !== 'POST' && method !== 'PUT' && method !== 'DELETE') continue;
      const params = op.parameters ?? [];
      const json = op.requestBody?.content['application/json']?.schema;
      ops.push({
        method,
        path,
        key: `${method} ${path}`,
        pathParams: params
          .filter((p) => p.in === 'path')
          .map((p) => ({ name: p.name, schema: p.schema ?? {} })),
        query: params.filter((p) => p.in === 'query').map((p) => ({ name: p.name, schema: p.schema ?? {} })),
        body: json ? resolve(doc, json) : null,
      });
    }
  }
  return ops;
}

function resolve(doc: OpenApiDocument, schema: Schema): Schema {
  const ref = schema.$ref;
  if (typeof ref === 'string') {
    const name = ref.split('/').pop() ?? '';
    return resolve(doc, doc.components?.schemas?.[name] ?? {});
  }
  return schema;
}

/** A deterministic 32-bit seed from text. */
export function seedOf(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h | 0;
}

export function sample<T>(arb: fc.Arbitrary<T>, seed: string): T {
  return fc.sample(arb, { seed: seedOf(seed), numRuns: 1 })[0] as T;
}

const CONTROL = fc
  .array(fc.integer({ min: 0, max: 0x1f }), { minLength: 1, maxLength: 4 })
  .map((codes) => `a${String.fromCharCode(...codes)}b`);

const INVALID_DATES = [
  '2017-02-30',
  '2017-13-01',
  '0000-00-00',
  '9999-99-99',
  '2017-2-1',
  '20170201',
  '2017-02-01T25:61:00Z',
  '-001-01-01',
  '+275760-09-13',
];

const ODD_TEXT = [
  '',
  ' ',
  '\u0000',
  'x\u0000y',
  '\u001b[31m',
  '\u007f',
  '\ud800',
  '%00',
  '../../etc/passwd',
  "'; drop table orders; --",
  '__proto__',
  'constructor',
  '💩'.repeat(50),
  'x'.repeat(70_000),
];

const ODD_NUMBERS = [
  -1,
  0,
  1.5,
  -0.5,
  2 ** 53 + 2,
  -(2 ** 53) - 2,
  Number.MAX_SAFE_INTEGER,
  -Number.MAX_SAFE_INTEGER,
  1e308,
  -1e308,
  2 ** 31,
  2 ** 63,
];

/** A nested value deeper than any schema expects. */
function deep(levels: number): unknown {
  let v: unknown = 'bottom';
  for (let i = 0; i < levels; i++) v = i % 2 === 0 ? [v] : { v };
  return v;
}

/** Bad JSON values for a body position of this schema: wrong types, bounds, huge, control characters. */
export function badJson(schema: Schema): fc.Arbitrary<unknown> {
  const typed: unknown[] = [];
  const type = schema.type;
  if (type === 'integer' || type === 'number') {
    if (typeof schema.maximum === 'number') typed.push(schema.maximum + 1, schema.maximum * 10);
    if (typeof schema.minimum === 'number') typed.push(schema.minimum - 1);
    typed.push('12', '1e3', 1.25);
  }
  if (type === 'string') {
    if (typeof schema.maxLength === 'number') typed.push('x'.repeat(schema.maxLength + 1));
    if (schema.format === 'date' || schema.format === 'date-time') typed.push(...INVALID_DATES);
    if (Array.isArray(schema.enum)) typed.push('not-in-enum', String(schema.enum[0]).toUpperCase());
    typed.push(12, true);
  }
  if (type === 'array')
    typed.push(
      [],
      'a',
      [null],
      Array.from({ length: 6000 }, () => ({})),
    );
  if (type === 'object') typed.push([], 'x', { unknown: '\u0000' });
  if (type === 'boolean') typed.push('true', 1, 'yes');
  return fc.oneof(
    { weight: 3, arbitrary: typed.length > 0 ? fc.constantFrom(...typed) : fc.constant(null) },
    { weight: 2, arbitrary: fc.constantFrom(...ODD_TEXT) },
    { weight: 2, arbitrary: fc.constantFrom(...ODD_NUMBERS) },
    { weight: 1, arbitrary: fc.constantFrom(...INVALID_DATES) },
    { weight: 2, arbitrary: CONTROL },
    { weight: 1, arbitrary: fc.constantFrom(null, true, false, [], {}, deep(200)) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  );
}

function base64url(text: string): string {
  return Buffer.from(text).toString('base64url');
}

/** Cursors a client could forge: right sort and direction, values of every wrong type, garbage. */
export function badCursor(sorts: readonly string[]): fc.Arbitrary<string> {
  const value = fc.oneof(
    fc.constantFrom<unknown>(
      'not-a-number',
      1e300,
      -1,
      2 ** 60,
      null,
      true,
      [],
      {},
      'x\u0000',
      'x'.repeat(600),
    ),
    fc.jsonValue({ maxDepth: 1 }),
  );
  const forged = fc
    .tuple(
      fc.constantFrom(...(sorts.length > 0 ? sorts : ['id'])),
      fc.constantFrom('asc', 'desc', 'sideways'),
      value,
      fc.oneof(fc.constantFrom<unknown>('ord_x', 'x\u0000', 12, null, ''), fc.string()),
    )
    .map((parts) => base64url(JSON.stringify(parts)));
  return fc.oneof(
    { weight: 4, arbitrary: forged },
    {
      weight: 1,
      arbitrary: fc.constantFrom('', '!!!', '%00', base64url('[1,2'), base64url('{"a":1}'), base64url('[]')),
    },
  );
}

/** Raw (already URL-encoded) bad values for a query or path parameter. */
export function badUrlValue(schema: Schema): fc.Arbitrary<string> {
  const typed: string[] = [];
  if (schema.type === 'integer' || schema.type === 'number') {
    if (typeof schema.maximum === 'number') typed.push(String(schema.maximum + 1));
    if (typeof schema.minimum === 'number') typed.push(String(schema.minimum - 1));
    typed.push('1.5', 'NaN', 'Infinity', '1e309', '-1e309', '99999999999999999999999', '0x10', 'abc');
  }
  if (schema.format === 'date' || schema.format === 'date-time')
    typed.push(...INVALID_DATES.map(encodeURIComponent));
  if (Array.isArray(schema.enum)) typed.push('not-in-enum');
  if (typeof schema.maxLength === 'number') typed.push('x'.repeat(schema.maxLength + 1));
  const fixed = [
    '',
    '%00',
    'a%00b',
    '%01',
    '%1B%5B31m',
    '%7F',
    '%E0%A4%A',
    '%ZZ',
    '%F0%9F%92%A9',
    '..',
    '%2E%2E%2F%2E%2E',
    '-1',
    '0',
    'null',
    'undefined',
    '__proto__',
    'constructor',
    'ptn_',
    'PTN_ALPHA',
    'zzz_doesnotexist0',
    'x'.repeat(300),
    '%27%3B%20drop%20table%20orders%3B--',
  ];
  return fc.oneof(
    { weight: 3, arbitrary: typed.length > 0 ? fc.constantFrom(...typed) : fc.constantFrom(...fixed) },
    { weight: 3, arbitrary: fc.constantFrom(...fixed) },
    { weight: 1, arbitrary: CONTROL.map(encodeURIComponent) },
    {
      weight: 1,
      arbitrary: fc.string({ unit: 'binary', maxLength: 12 }).map((s) => {
        try {
          return encodeURIComponent(s);
        } catch {
          return '%00';
        }
      }),
    },
  );
}

/**
 * A plausible value for a schema: known names first (real ids of the fixture, so a request reaches the
 * handler), then the schema's enum, format or type. Optional properties are left out.
 */
export function plausible(
  raw: Schema,
  name: string,
  known: Record<string, unknown>,
  resolveRef: (s: Schema) => Schema = (s) => s,
): unknown {
  if (name in known) return known[name];
  const schema = resolveRef(raw);
  if (Array.isArray(schema.anyOf))
    return plausible((schema.anyOf as Schema[])[0] ?? {}, name, known, resolveRef);
  if (Array.isArray(schema.enum)) return schema.enum[0];
  if (schema.default !== undefined) return schema.default;
  switch (schema.type) {
    case 'string':
      if (schema.format === 'date') return '2017-06-01';
      if (schema.format === 'date-time') return '2017-06-01T00:00:00.000Z';
      if (schema.format === 'email') return 'someone@example.test';
      return 'fuzz';
    case 'integer':
    case 'number':
      return typeof schema.minimum === 'number' ? Math.max(schema.minimum, 1) : 1;
    case 'boolean':
      return false;
    case 'array': {
      const items = (schema.items ?? {}) as Schema;
      return [plausible(items, `${name}[]`, known, resolveRef)];
    }
    case 'object': {
      const props = (schema.properties ?? {}) as Record<string, Schema>;
      const required = new Set((schema.required ?? []) as string[]);
      const out: Record<string, unknown> = {};
      for (const [k, s] of Object.entries(props))
        if (required.has(k)) out[k] = plausible(s, k, known, resolveRef);
      return out;
    }
    default:
      return null;
  }
}

/** Every place in a body schema a bad value can go: [JSON path, schema of that place]. */
export function bodySlots(schema: Schema, resolveRef: (s: Schema) => Schema, path: string[] = [], depth = 0) {
  const slots: [string[], Schema][] = [[path, schema]];
  if (depth > 3) return slots;
  const s = resolveRef(schema);
  if (s.type === 'object') {
    for (const [k, child] of Object.entries((s.properties ?? {}) as Record<string, Schema>))
      slots.push(...bodySlots(resolveRef(child), resolveRef, [...path, k], depth + 1));
  }
  if (s.type === 'array' && s.items)
    slots.push(...bodySlots(resolveRef(s.items as Schema), resolveRef, [...path, '0'], depth + 1));
  return slots;
}

/** Sets a value at a path of a JSON value, creating objects and arrays on the way. */
export function setAt(root: unknown, path: string[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path as [string, ...string[]];
  const container: Record<string, unknown> | unknown[] =
    root !== null && typeof root === 'object'
      ? (root as Record<string, unknown>)
      : /^\d+$/.test(head)
        ? []
        : {};
  const current = (container as Record<string, unknown>)[head];
  (container as Record<string, unknown>)[head] = setAt(current, rest, value);
  return container;
}

export function refResolver(doc: OpenApiDocument) {
  return (s: Schema) => resolve(doc, s);
}
