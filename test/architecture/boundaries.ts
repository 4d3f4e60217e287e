import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname, sep } from 'node:path';

export type Layer = 'core' | 'db' | 'app' | 'server' | 'cli' | 'web';

export interface ImportRef {
  file: string;
  specifier: string;
  typeOnly: boolean;
}

/** Which layers each layer may import at run time, and which only as types. */
const RULES: Record<Layer, { values: Layer[]; types: Layer[]; forbiddenPackages: RegExp | null }> = {
  // Pure domain: no I/O, no database, no HTTP, no Node built-ins.
  core: {
    values: ['core'],
    types: ['core'],
    forbiddenPackages:
      /^(node:|fs$|path$|kysely|pg$|better-sqlite3|fastify|@fastify\/|commander|cli-progress|pino)/,
  },
  // Storage imports only core *types*.
  db: {
    values: ['db'],
    types: ['db', 'core'],
    forbiddenPackages: /^(fastify|@fastify\/|commander|cli-progress)/,
  },
  // Use cases: the only layer that combines core and db.
  app: {
    values: ['app', 'core', 'db'],
    types: ['app', 'core', 'db'],
    forbiddenPackages: /^(fastify|@fastify\/|commander|cli-progress)/,
  },
  // The edges go through app, never db.
  server: {
    values: ['server', 'app', 'core'],
    types: ['server', 'app', 'core'],
    forbiddenPackages: /^(kysely|pg$|better-sqlite3|commander)/,
  },
  cli: {
    values: ['cli', 'app', 'core', 'server'],
    types: ['cli', 'app', 'core', 'server'],
    forbiddenPackages: /^(kysely|pg$|better-sqlite3)/,
  },
  web: { values: ['web'], types: ['web'], forbiddenPackages: /^(kysely|pg$|better-sqlite3|fastify|node:)/ },
};

const IMPORT =
  /^\s*(import|export)\s+(type\s+)?[^'";]*?from\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/gm;

export function importsOf(file: string, text: string): ImportRef[] {
  const refs: ImportRef[] = [];
  for (const m of text.matchAll(IMPORT)) {
    const specifier = m[3] ?? m[4] ?? m[5];
    if (specifier) refs.push({ file, specifier, typeOnly: Boolean(m[2]) });
  }
  return refs;
}

export function layerOf(root: string, file: string): Layer | null {
  const rel = relative(root, file).split(sep);
  if (rel[0] === 'web') return 'web';
  if (rel[0] !== 'src') return null;
  const l = rel[1];
  return l === 'core' || l === 'db' || l === 'app' || l === 'server' || l === 'cli' ? l : null;
}

/**
 * Files under src/app allowed to build SQL themselves: none (issue 13, "no SQL in src/app"; every query
 * lives in a repository in src/db). Kept as a list so a move can be staged; never add to it lightly.
 */
export const SQL_IN_APP_PENDING: readonly string[] = [];

/** A query builder call: a use case that makes one builds SQL instead of asking a repository. */
const SQL_CALL = /\.\s*(selectFrom|insertInto|updateTable|deleteFrom|mergeInto|replaceInto)\s*\(/;
const KYSELY_IMPORT =
  /^\s*(import|export)\s+(type\s+)?([^'";]*?)\s*from\s+['"]kysely['"]|import\(\s*['"]kysely['"]\s*\)/gm;

/**
 * How a file builds SQL, or null: a value import from kysely (`sql`, the builders; `import type` and
 * `import { type Kysely }` only name types), or a call that starts a query (`.selectFrom(` ...).
 */
export function sqlBuiltIn(text: string): string | null {
  for (const m of text.matchAll(KYSELY_IMPORT)) {
    if (m[1] === undefined) return 'imports kysely at run time';
    if (m[2]) continue;
    const clause = m[3] ?? '';
    const outside = clause
      .replace(/\{[^}]*\}/, '')
      .replace(/,/g, '')
      .trim();
    const named = (/\{([^}]*)\}/.exec(clause)?.[1] ?? '')
      .split(',')
      .map((n) => n.trim())
      .filter((n) => n !== '' && !/^type\s/.test(n));
    const values = [...(outside ? [outside] : []), ...named];
    if (values.length > 0) return `imports ${values.join(', ')} from kysely`;
  }
  const call = SQL_CALL.exec(text);
  if (call) return `calls .${call[1]}(`;
  return /\bsqlRunner\s*\(/.test(text) ? 'runs SQL text through sqlRunner' : null;
}

const posix = (p: string) => p.split(sep).join('/');

/** Entries of the pending list that build no SQL any more (or are gone): they must come off it. */
export function stalePending(
  root: string,
  files: { path: string; text: string }[],
  pending: readonly string[] = SQL_IN_APP_PENDING,
): string[] {
  const byPath = new Map(files.map((f) => [posix(relative(root, f.path)), f.text]));
  return pending
    .filter((p) => {
      const text = byPath.get(p);
      return text === undefined || sqlBuiltIn(text) === null;
    })
    .map((p) => `${p} is in SQL_IN_APP_PENDING but builds no SQL (or is gone): take it off the list`);
}

/** Ambient I/O that the pure domain must receive by injection instead. */
const CORE_AMBIENT = /\b(process\.|console\.|Math\.random\(|Date\.now\(|new Date\(\))/;

/** Every violation in the given files, as "file imports X (layer Y): reason". */
export function checkBoundaries(
  root: string,
  files: { path: string; text: string }[],
  options: { sqlPending?: readonly string[] } = {},
): string[] {
  const problems: string[] = [];
  const sqlPending = new Set(options.sqlPending ?? SQL_IN_APP_PENDING);
  for (const { path, text } of files) {
    const from = layerOf(root, path);
    if (!from) continue;
    if (from === 'app' && !sqlPending.has(posix(relative(root, path)))) {
      const built = sqlBuiltIn(text);
      if (built)
        problems.push(
          `${relative(root, path)} ${built}: app builds SQL: move it into a repository in src/db`,
        );
    }
    const ambient = from === 'core' ? CORE_AMBIENT.exec(text) : null;
    if (ambient)
      problems.push(
        `${relative(root, path)} uses ${ambient[1]}: core gets the clock, randomness and I/O injected`,
      );
    const rule = RULES[from];
    for (const ref of importsOf(path, text)) {
      const where = relative(root, path);
      if (ref.specifier.startsWith('.')) {
        const target = layerOf(root, resolve(dirname(path), ref.specifier));
        if (!target) continue;
        const allowed = ref.typeOnly ? rule.types : rule.values;
        if (!allowed.includes(target)) {
          problems.push(
            `${where} imports ${ref.specifier} (${target})${ref.typeOnly ? ' as a type' : ''}: ${from} may not`,
          );
        }
      } else if (rule.forbiddenPackages?.test(ref.specifier)) {
        problems.push(`${where} imports package ${ref.specifier}: ${from} may not`);
      }
    }
  }
  return problems;
}

export function sourceFiles(root: string): { path: string; text: string }[] {
  const out: { path: string; text: string }[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      if (name === 'node_modules' || name === 'dist') continue;
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(ts|tsx)$/.test(name) && !/\.test\.tsx?$/.test(name))
        out.push({ path: p, text: readFileSync(p, 'utf8') });
    }
  };
  walk(join(root, 'src'));
  walk(join(root, 'web', 'src'));
  return out;
}
