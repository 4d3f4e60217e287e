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

/** Ambient I/O that the pure domain must receive by injection instead. */
const CORE_AMBIENT = /\b(process\.|console\.|Math\.random\(|Date\.now\(|new Date\(\))/;

/** Every violation in the given files, as "file imports X (layer Y): reason". */
export function checkBoundaries(root: string, files: { path: string; text: string }[]): string[] {
  const problems: string[] = [];
  for (const { path, text } of files) {
    const from = layerOf(root, path);
    if (!from) continue;
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
