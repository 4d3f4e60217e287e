import { z } from 'zod';
import type { Money } from '../money/money.js';
import { formatMoney, parseMoney } from '../money/money.js';
import { formatPercent, parsePercent } from '../money/rate.js';
import { LICENSING_MODELS, PRODUCT_FAMILIES, SOLUTION_MAX, isSolutionCode } from '../model/catalog.js';
import { isCountry, REGIONS, SEGMENTS } from '../model/geography.js';
import { CHANNELS } from '../model/orders.js';
import { PARTNER_KINDS } from '../model/partners.js';
import { enumSchema } from './notation.js';

/**
 * Conditions are data: `{ attribute, operator, value }` leaves composed with `all` / `any` / `not`.
 * Attributes come from a fixed, typed catalogue; values are checked against the attribute's type when
 * the file is parsed, and compiled once into plain functions.
 */

export { LICENSING_MODELS, type LicensingModel } from '../model/catalog.js';

export type AttributeType =
  | 'family'
  | 'money'
  | 'number'
  | 'percent'
  | 'boolean'
  | 'channel'
  | 'region'
  | 'segment'
  | 'country'
  | 'partner-kind'
  | 'licensing'
  | 'solution'
  | 'tier'
  | 'zone'
  | 'status';

interface AttributeSpec {
  readonly type: AttributeType;
  readonly description: string;
}

/** The attributes a condition may test. */
export const CONDITION_ATTRIBUTES = {
  'line.family': { type: 'family', description: 'product family of the order line' },
  'line.amount': { type: 'money', description: 'line amount (negative on a return)' },
  'line.quantity': { type: 'number', description: 'line quantity' },
  'line.licensing': {
    type: 'licensing',
    description:
      "licensing model of the line's product (perpetual, term, subscription, saas); absent for hardware",
  },
  'line.solution': {
    type: 'solution',
    description: "solution area of the line's product, a vendor's code such as cloud-infrastructure",
  },
  'order.channel': { type: 'channel', description: 'how the order reached the vendor' },
  'order.region': { type: 'region', description: 'sales region of the order' },
  'order.segment': { type: 'segment', description: 'sales segment of the order' },
  'order.country': { type: 'country', description: 'country of the order' },
  'order.total': { type: 'money', description: 'order total' },
  'order.registeredDeal': { type: 'boolean', description: 'the order fulfils a protected deal registration' },
  'customer.newBusiness': {
    type: 'boolean',
    description: 'the customer bought none of the product families within the look-back window',
  },
  'customer.country': { type: 'country', description: 'country of the end customer' },
  'customer.segment': { type: 'segment', description: 'sales segment of the end customer' },
  'partner.kind': { type: 'partner-kind', description: 'reseller, distributor or service-provider' },
  'partner.exclusive': {
    type: 'boolean',
    description: "the partner sells this vendor's hardware exclusively",
  },
  'partner.tier': { type: 'tier', description: 'current tier of the partner (ordered by rank)' },
  'partner.status': { type: 'status', description: 'invitation-only status held by the partner, if any' },
  'partner.zone': { type: 'zone', description: 'program zone of the partner' },
  'partner.country': { type: 'country', description: 'country of the partner' },
  'partner.region': { type: 'region', description: 'sales region of the partner' },
  'partner.deliversServices': {
    type: 'boolean',
    description: "the partner delivers the vendor's services itself (trained and certified)",
  },
  'partner.growth': { type: 'percent', description: "year-over-year growth of the partner's revenue" },
} as const satisfies Record<string, AttributeSpec>;

export type ConditionAttribute = keyof typeof CONDITION_ATTRIBUTES;
export const CONDITION_ATTRIBUTE_NAMES = Object.keys(CONDITION_ATTRIBUTES) as ConditionAttribute[];

export const CONDITION_OPERATORS = ['eq', 'ne', 'in', 'notIn', 'gt', 'gte', 'lt', 'lte'] as const;
export type ConditionOperator = (typeof CONDITION_OPERATORS)[number];

const ORDERED_TYPES: readonly AttributeType[] = ['money', 'number', 'percent', 'tier'];
const ENUM_VALUES: Partial<Record<AttributeType, readonly string[]>> = {
  family: PRODUCT_FAMILIES,
  channel: CHANNELS,
  region: REGIONS,
  segment: SEGMENTS,
  'partner-kind': PARTNER_KINDS,
  licensing: LICENSING_MODELS,
};

/** A normalised scalar: money as Money, percent as ppm, everything else as written. */
export type ConditionScalar = string | number | boolean | Money;
export type ConditionValue = ConditionScalar | readonly ConditionScalar[];

export interface ConditionLeaf {
  readonly attribute: ConditionAttribute;
  readonly operator: ConditionOperator;
  readonly value: ConditionValue;
}

export type ConditionNode =
  | ConditionLeaf
  | { readonly all: readonly ConditionNode[] }
  | { readonly any: readonly ConditionNode[] }
  | { readonly not: ConditionNode };

type Group<A> = A extends `${infer G}.${string}` ? G : never;
type Field<A, G extends string> = A extends `${G}.${infer F}` ? F : never;
type FactOf<T extends AttributeType> = T extends 'money'
  ? Money
  : T extends 'number' | 'percent'
    ? number
    : T extends 'boolean'
      ? boolean
      : string;

/**
 * What a condition is evaluated against, grouped as the attribute names read: `{ line: { family } }`.
 * Percent facts are ppm; an absent (or null) fact makes every leaf on it false.
 */
export type ConditionFacts = {
  readonly [G in Group<ConditionAttribute>]?: {
    readonly [F in Field<ConditionAttribute, G>]?: FactOf<
      (typeof CONDITION_ATTRIBUTES)[Extract<`${G}.${F}`, ConditionAttribute>]['type']
    > | null;
  };
};

// ---------------------------------------------------------------------------------------------------
// Schema: the text form, checked and normalised per attribute type.

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return `"${value}"`;
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${String(value)}`;
}

const EXPECTED: Record<AttributeType, string> = {
  family: `a product family (${PRODUCT_FAMILIES.join(', ')})`,
  money: 'money as text, e.g. "USD 10,000"',
  number: 'a number',
  percent: 'a percentage as text, e.g. "15%"',
  boolean: 'true or false',
  channel: `a channel (${CHANNELS.join(', ')})`,
  region: `a region (${REGIONS.join(', ')})`,
  segment: `a segment (${SEGMENTS.join(', ')})`,
  country: 'an ISO 3166-1 alpha-2 country code Trellis knows, e.g. "GB"',
  'partner-kind': `a partner kind (${PARTNER_KINDS.join(', ')})`,
  licensing: `a licensing model (${LICENSING_MODELS.join(', ')})`,
  solution: `a solution area code (lowercase letters, digits and hyphens, at most ${SOLUTION_MAX} characters)`,
  tier: 'a tier code of this program',
  zone: 'a zone code of this program',
  status: 'a status code of this program',
};

type ScalarResult = { ok: true; value: ConditionScalar } | { ok: false; error: string };

function normaliseScalar(type: AttributeType, attribute: string, raw: unknown): ScalarResult {
  const wrong = (): ScalarResult => ({
    ok: false,
    error: `${attribute} expects ${EXPECTED[type]}, got ${describe(raw)}`,
  });
  switch (type) {
    case 'money': {
      if (typeof raw !== 'string') return wrong();
      const m = parseMoney(raw);
      return m.ok ? m : { ok: false, error: `${attribute}: ${m.error}` };
    }
    case 'percent': {
      if (typeof raw !== 'string') return wrong();
      const p = parsePercent(raw);
      return p.ok ? p : { ok: false, error: `${attribute}: ${p.error}` };
    }
    case 'number':
      return typeof raw === 'number' && Number.isFinite(raw) ? { ok: true, value: raw } : wrong();
    case 'boolean':
      return typeof raw === 'boolean' ? { ok: true, value: raw } : wrong();
    case 'country':
      return typeof raw === 'string' && isCountry(raw) ? { ok: true, value: raw } : wrong();
    case 'solution':
      return isSolutionCode(raw) ? { ok: true, value: raw } : wrong();
    case 'tier':
    case 'zone':
    case 'status':
      return typeof raw === 'string' && raw.length > 0 ? { ok: true, value: raw } : wrong();
    default: {
      const allowed = ENUM_VALUES[type] ?? [];
      return typeof raw === 'string' && allowed.includes(raw) ? { ok: true, value: raw } : wrong();
    }
  }
}

const scalarInput = z.union([z.string(), z.number(), z.boolean()]);

const leafSchema = z
  .object({
    attribute: enumSchema(
      CONDITION_ATTRIBUTE_NAMES as [ConditionAttribute, ...ConditionAttribute[]],
      'attribute',
    ).meta({
      description: 'A fact from the attribute catalogue, e.g. line.family or partner.exclusive.',
    }),
    operator: enumSchema(CONDITION_OPERATORS, 'operator'),
    value: z.union([scalarInput, z.array(scalarInput)]).meta({
      description:
        'Typed by the attribute: money and percentages as text, booleans, numbers, codes; a list for in/notIn.',
    }),
  })
  .strict()
  .transform((leaf, ctx): ConditionLeaf => {
    const { type } = CONDITION_ATTRIBUTES[leaf.attribute];
    const { operator, attribute } = leaf;
    if (['gt', 'gte', 'lt', 'lte'].includes(operator) && !ORDERED_TYPES.includes(type)) {
      ctx.addIssue({
        code: 'custom',
        path: ['operator'],
        message: `operator ${operator} needs an ordered attribute (money, number, percent, tier); ${attribute} is ${type}`,
      });
      return z.NEVER;
    }
    if (operator === 'in' || operator === 'notIn') {
      if (type === 'boolean') {
        ctx.addIssue({
          code: 'custom',
          path: ['operator'],
          message: `${attribute} is boolean: use eq or ne`,
        });
        return z.NEVER;
      }
      if (!Array.isArray(leaf.value) || leaf.value.length === 0) {
        ctx.addIssue({
          code: 'custom',
          path: ['value'],
          message: `operator ${operator} expects a non-empty list of ${EXPECTED[type]}, got ${describe(leaf.value)}`,
        });
        return z.NEVER;
      }
      const values: ConditionScalar[] = [];
      leaf.value.forEach((item, i) => {
        const r = normaliseScalar(type, attribute, item);
        if (r.ok) values.push(r.value);
        else ctx.addIssue({ code: 'custom', path: ['value', i], message: r.error });
      });
      return values.length === leaf.value.length ? { attribute, operator, value: values } : z.NEVER;
    }
    if (Array.isArray(leaf.value)) {
      ctx.addIssue({
        code: 'custom',
        path: ['value'],
        message: `operator ${operator} expects one value (${EXPECTED[type]}), got a list; use in/notIn for lists`,
      });
      return z.NEVER;
    }
    const r = normaliseScalar(type, attribute, leaf.value);
    if (!r.ok) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: r.error });
      return z.NEVER;
    }
    return { attribute, operator, value: r.value };
  });

/** The zod schema of a condition (recursive). */
export const conditionSchema: z.ZodType<ConditionNode, unknown> = z.union([
  leafSchema,
  z
    .object({
      get all() {
        return z.array(conditionSchema).min(1);
      },
    })
    .strict(),
  z
    .object({
      get any() {
        return z.array(conditionSchema).min(1);
      },
    })
    .strict(),
  z
    .object({
      get not() {
        return conditionSchema;
      },
    })
    .strict(),
]);

// ---------------------------------------------------------------------------------------------------
// Walking and compiling.

export function isLeaf(node: ConditionNode): node is ConditionLeaf {
  return 'attribute' in node;
}

/** Every leaf with its path relative to the condition (e.g. ['all', 0, 'any', 1]). */
export function conditionLeaves(
  node: ConditionNode,
  path: readonly (string | number)[] = [],
): { leaf: ConditionLeaf; path: (string | number)[] }[] {
  if (isLeaf(node)) return [{ leaf: node, path: [...path] }];
  if ('all' in node) return node.all.flatMap((n, i) => conditionLeaves(n, [...path, 'all', i]));
  if ('any' in node) return node.any.flatMap((n, i) => conditionLeaves(n, [...path, 'any', i]));
  return conditionLeaves(node.not, [...path, 'not']);
}

export interface ConditionContext {
  /** Tier codes of the program in rank order, for ordered comparisons on partner.tier. */
  readonly tiers: readonly string[];
}

export interface LeafResult {
  /** Path of the leaf inside the condition, e.g. "all[0].not". Empty for a root leaf. */
  readonly path: string;
  readonly attribute: ConditionAttribute;
  readonly operator: ConditionOperator;
  readonly expected: ConditionValue;
  /** The fact as found, undefined if absent. */
  readonly actual: ConditionScalar | undefined;
  readonly result: boolean;
  readonly note: 'missing fact' | 'currency mismatch' | 'unknown tier' | null;
}

export interface ConditionExplanation {
  readonly result: boolean;
  readonly leaves: readonly LeafResult[];
}

export interface CompiledCondition {
  (facts: ConditionFacts): boolean;
  explain(facts: ConditionFacts): ConditionExplanation;
}

type LeafOutcome = { result: boolean; actual: ConditionScalar | undefined; note: LeafResult['note'] };
type LeafFn = (facts: ConditionFacts) => LeafOutcome;

function readFact(facts: ConditionFacts, attribute: ConditionAttribute): ConditionScalar | undefined {
  const [group = '', field = ''] = attribute.split('.');
  const bag = (facts as Record<string, Record<string, ConditionScalar | null | undefined> | undefined>)[
    group
  ];
  const v = bag?.[field];
  return v === null ? undefined : v;
}

function isMoney(v: unknown): v is Money {
  return typeof v === 'object' && v !== null && 'amountMinor' in v && 'currency' in v;
}

/** -1, 0, 1, or a note when the two cannot be compared. */
function compare(
  type: AttributeType,
  a: ConditionScalar,
  b: ConditionScalar,
  ctx: ConditionContext,
): number | 'currency mismatch' | 'unknown tier' {
  if (type === 'money') {
    if (!isMoney(a) || !isMoney(b) || a.currency !== b.currency) return 'currency mismatch';
    return Math.sign(a.amountMinor - b.amountMinor);
  }
  if (type === 'tier') {
    const ra = ctx.tiers.indexOf(String(a));
    const rb = ctx.tiers.indexOf(String(b));
    if (ra < 0 || rb < 0) return 'unknown tier';
    return Math.sign(ra - rb);
  }
  if (typeof a === 'number' && typeof b === 'number') return Math.sign(a - b);
  return a === b ? 0 : 1;
}

function compileLeaf(leaf: ConditionLeaf, ctx: ConditionContext): LeafFn {
  const { type } = CONDITION_ATTRIBUTES[leaf.attribute];
  const { operator, value } = leaf;
  const list = Array.isArray(value) ? (value as readonly ConditionScalar[]) : [value as ConditionScalar];
  const test = (actual: ConditionScalar): LeafOutcome => {
    if (operator === 'in' || operator === 'notIn') {
      let note: LeafResult['note'] = null;
      let found = false;
      for (const v of list) {
        const c = compare(type, actual, v, ctx);
        if (c === 0) found = true;
        else if (typeof c === 'string') note = c;
      }
      if (!found && note !== null) return { result: false, actual, note };
      return { result: operator === 'in' ? found : !found, actual, note: null };
    }
    const c = compare(type, actual, list[0] as ConditionScalar, ctx);
    if (typeof c === 'string') return { result: false, actual, note: c };
    const result =
      operator === 'eq'
        ? c === 0
        : operator === 'ne'
          ? c !== 0
          : operator === 'gt'
            ? c > 0
            : operator === 'gte'
              ? c >= 0
              : operator === 'lt'
                ? c < 0
                : c <= 0;
    return { result, actual, note: null };
  };
  return (facts) => {
    const actual = readFact(facts, leaf.attribute);
    if (actual === undefined) return { result: false, actual, note: 'missing fact' };
    return test(actual);
  };
}

type Compiled = {
  test: (facts: ConditionFacts) => boolean;
  trace: (facts: ConditionFacts, out: LeafResult[]) => boolean;
};

function pathText(path: readonly (string | number)[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

function compileNode(node: ConditionNode, ctx: ConditionContext, path: (string | number)[]): Compiled {
  if (isLeaf(node)) {
    const fn = compileLeaf(node, ctx);
    const where = pathText(path);
    return {
      test: (facts) => fn(facts).result,
      trace: (facts, out) => {
        const o = fn(facts);
        out.push({
          path: where,
          attribute: node.attribute,
          operator: node.operator,
          expected: node.value,
          actual: o.actual,
          result: o.result,
          note: o.note,
        });
        return o.result;
      },
    };
  }
  if ('not' in node) {
    const inner = compileNode(node.not, ctx, [...path, 'not']);
    return { test: (f) => !inner.test(f), trace: (f, out) => !inner.trace(f, out) };
  }
  const isAll = 'all' in node;
  const children = (isAll ? node.all : node.any).map((n, i) =>
    compileNode(n, ctx, [...path, isAll ? 'all' : 'any', i]),
  );
  const tests = children.map((c) => c.test);
  return {
    test: isAll ? (f) => tests.every((t) => t(f)) : (f) => tests.some((t) => t(f)),
    // explain evaluates every leaf (no short-circuit) so the trace is complete.
    trace: (f, out) => {
      const results = children.map((c) => c.trace(f, out));
      return isAll ? results.every(Boolean) : results.some(Boolean);
    },
  };
}

/** Compiles a condition once into a plain function; `null` (no condition) always holds. */
export function compileCondition(node: ConditionNode | null, ctx: ConditionContext): CompiledCondition {
  if (node === null) {
    const always = (() => true) as unknown as CompiledCondition;
    always.explain = () => ({ result: true, leaves: [] });
    return always;
  }
  const compiled = compileNode(node, ctx, []);
  const fn = ((facts: ConditionFacts) => compiled.test(facts)) as CompiledCondition;
  fn.explain = (facts) => {
    const leaves: LeafResult[] = [];
    const result = compiled.trace(facts, leaves);
    return { result, leaves };
  };
  return fn;
}

/** A one-line rendering, for summaries: `partner.exclusive eq true and line.family in [storage, servers]`. */
export function formatCondition(node: ConditionNode): string {
  const scalar = (v: ConditionScalar): string =>
    isMoney(v) ? formatMoney(v) : typeof v === 'string' ? v : String(v);
  if (isLeaf(node)) {
    const type = CONDITION_ATTRIBUTES[node.attribute].type;
    const one = (v: ConditionScalar): string =>
      type === 'percent' && typeof v === 'number' ? formatPercent(v) : scalar(v);
    const value = Array.isArray(node.value)
      ? `[${(node.value as readonly ConditionScalar[]).map(one).join(', ')}]`
      : one(node.value as ConditionScalar);
    return `${node.attribute} ${node.operator} ${value}`;
  }
  if ('not' in node) return `not (${formatCondition(node.not)})`;
  const parts = 'all' in node ? node.all : node.any;
  const joiner = 'all' in node ? ' and ' : ' or ';
  return parts.map((p) => (isLeaf(p) ? formatCondition(p) : `(${formatCondition(p)})`)).join(joiner);
}
