import type { Document, Node, ParsedNode } from 'yaml';
import { isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { documentSchema } from './schema.js';
import type { IssuePath, SemanticIssue } from './semantic-checks.js';
import { checkDocument } from './semantic-checks.js';
import type { TrellisDocument } from './types.js';

/** One problem in a program file, positioned at the offending node (1-based line and column). */
export interface ProgramFileError {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** Where in the document, e.g. `tiers[2].requirements[0].paths[1].revenue`; empty for the whole file. */
  readonly path: string;
  readonly message: string;
}

export type ParseProgramResult =
  | { readonly ok: true; readonly document: TrellisDocument }
  | { readonly ok: false; readonly errors: readonly ProgramFileError[] };

/** `file:line:column: message`, the form editors and terminals link to. */
export function formatProgramFileError(e: ProgramFileError): string {
  return `${e.file}:${e.line}:${e.column}: ${e.message}`;
}

export function formatPath(path: readonly (string | number)[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

/**
 * Parses and validates a program or agreement document. Reports every YAML syntax error; if the YAML
 * is well formed, every schema error; if the schema holds, every semantic error. Each error points at
 * the node it concerns, or the nearest existing parent when the node is missing.
 */
export function parseProgramDocument(text: string, file: string): ParseProgramResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number) => {
    const pos = lineCounter.linePos(offset);
    return { line: pos.line, column: pos.col };
  };
  const sort = (errors: ProgramFileError[]): ProgramFileError[] =>
    errors.sort((a, b) => a.line - b.line || a.column - b.column);

  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: sort(
        doc.errors.map((e) => ({
          file,
          ...at(e.pos[0]),
          path: '',
          message: `YAML syntax error: ${e.message.split('\n')[0]}`,
        })),
      ),
    };
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 1000 });
  } catch (error) {
    return {
      ok: false,
      errors: [{ file, line: 1, column: 1, path: '', message: `YAML error: ${String(error)}` }],
    };
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return {
      ok: false,
      errors: [
        {
          file,
          line: 1,
          column: 1,
          path: '',
          message: 'expected a mapping with apiVersion and kind at the top level',
        },
      ],
    };
  }

  const toError = (issue: SemanticIssue): ProgramFileError => {
    const offset = locate(doc, issue.path, issue.target === 'key');
    const path = formatPath(issue.path);
    return { file, ...at(offset), path, message: path === '' ? issue.message : `${path}: ${issue.message}` };
  };

  const parsed = documentSchema.safeParse(data, { reportInput: true });
  if (!parsed.success) {
    return { ok: false, errors: sort(flattenIssues(parsed.error.issues, [], data).map(toError)) };
  }
  const semantic = checkDocument(parsed.data);
  if (semantic.length > 0) return { ok: false, errors: sort(semantic.map(toError)) };
  return { ok: true, document: parsed.data };
}

// ---------------------------------------------------------------------------------------------------
// From paths to positions.

function keyOf(node: unknown): string {
  return isScalar(node) ? String(node.value) : String(node);
}

/** Start offset of the node at `path`, or of the nearest parent that exists. */
function locate(doc: Document.Parsed, path: IssuePath, wantKey: boolean): number {
  let node: Node | null = doc.contents as ParsedNode | null;
  let best = node?.range?.[0] ?? 0;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i];
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => keyOf(p.key) === String(segment));
      if (pair === undefined) break;
      const keyNode = pair.key as Node | null;
      const valueNode = pair.value as Node | null;
      if ((last && wantKey) || valueNode === null) {
        return keyNode?.range?.[0] ?? best;
      }
      node = valueNode;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment] as Node | undefined;
      if (item === undefined) break;
      node = item;
    } else break;
    best = node.range?.[0] ?? best;
  }
  return best;
}

// ---------------------------------------------------------------------------------------------------
// From zod issues to messages.

type Issue = z.core.$ZodIssue;

function rawAt(data: unknown, path: IssuePath): { found: boolean; value: unknown } {
  let cur: unknown = data;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object' || !Object.hasOwn(cur, seg))
      return { found: false, value: undefined };
    cur = (cur as Record<string | number, unknown>)[seg];
  }
  return { found: true, value: cur };
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return `"${value}"`;
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${String(value)}`;
}

/** How badly a union branch misses the shape of the input: unknown or missing keys at its root. */
function shapeScore(issues: readonly Issue[]): number {
  let score = 0;
  for (const i of issues) {
    if (i.path.length === 0 && (i.code === 'unrecognized_keys' || i.code === 'invalid_type')) score += 1;
    else if (i.path.length === 1 && i.code === 'invalid_type' && i.input === undefined) score += 1;
  }
  return score;
}

const ZOD_DEFAULT = /^(Invalid|Too (small|big)|Unrecognized|Expected)/;

function describeIssue(issue: Issue, data: unknown, path: IssuePath): string {
  const custom = !ZOD_DEFAULT.test(issue.message);
  const field = path.length > 0 ? String(path[path.length - 1]) : 'document';
  if (issue.code === 'invalid_type' || issue.code === 'invalid_value') {
    if (!rawAt(data, path).found) return `missing required field "${field}"`;
  }
  if (custom) return issue.message;
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${issue.expected}, got ${show(issue.input)}`;
    case 'invalid_value':
      return `expected ${issue.values.map((v) => JSON.stringify(v)).join(' or ')}, got ${show(issue.input)}`;
    case 'too_small':
      return issue.origin === 'array'
        ? `list at least ${String(issue.minimum)} item(s)`
        : issue.origin === 'string'
          ? 'must not be empty'
          : `must be at least ${String(issue.minimum)}`;
    case 'too_big':
      return issue.origin === 'array'
        ? `list at most ${String(issue.maximum)} item(s)`
        : `must be at most ${String(issue.maximum)}`;
    case 'invalid_format':
      return `expected ${issue.format} format, got ${show(issue.input)}`;
    default:
      return issue.message;
  }
}

function flattenIssues(issues: readonly Issue[], prefix: IssuePath, data: unknown): SemanticIssue[] {
  const out: SemanticIssue[] = [];
  for (const issue of issues) {
    const path: IssuePath = [...prefix, ...(issue.path as IssuePath)];
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      // Report the branch the input was evidently written for: fewest shape misses, then fewest issues.
      const best =
        [...issue.errors].sort((a, b) => shapeScore(a) - shapeScore(b) || a.length - b.length)[0] ?? [];
      out.push(...flattenIssues(best, path, data));
    } else if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        out.push({ path: [...path, key], target: 'key', message: `unknown field "${key}"` });
      }
    } else if (issue.code === 'invalid_key') {
      out.push({ path, target: 'key', message: issue.issues[0]?.message ?? issue.message });
    } else {
      out.push({ path, message: describeIssue(issue, data, path) });
    }
  }
  return out;
}
