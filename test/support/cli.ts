import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './fixtures.js';
import { newestMtime } from './mtime.js';

let compiledIsFresh: boolean | undefined;

/**
 * Whether the compiled CLI (dist/, built by `npm ci` through `prepare`, or `npm run build`) is newer than
 * every file under src/: then the tests run it, as an installed `trellis` runs (about a second faster per
 * command than compiling the sources on the fly); otherwise they run the sources, so a test never runs a
 * stale build.
 */
function useCompiled(): boolean {
  if (compiledIsFresh === undefined) {
    const main = join(ROOT, 'dist', 'cli', 'main.js');
    compiledIsFresh = existsSync(main) && statSync(main).mtimeMs >= newestMtime(join(ROOT, 'src'));
  }
  return compiledIsFresh;
}

/** The environment a `trellis` process runs with: this one's, the build to run, `env` over it. */
function trellisEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const { TRELLIS_FROM_SOURCE: _fromSource, ...inherited } = process.env;
  return {
    ...inherited,
    ...(useCompiled() ? {} : { TRELLIS_FROM_SOURCE: '1' }),
    LOG_LEVEL: 'silent',
    ...env,
  };
}

/** Runs the real `trellis` binary (compiled when fresh, else from the TypeScript sources), as a user would. */
export function trellis(args: string[], env: Record<string, string> = {}) {
  const res = spawnSync(process.execPath, [join(ROOT, 'bin', 'trellis.js'), ...args], {
    cwd: ROOT,
    env: trellisEnv(env),
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: res.status, stdout: res.stdout, stderr: res.stderr };
}

/** Starts the real `trellis` binary as a process that runs on (a worker): its output as it comes. */
export function spawnTrellis(
  args: string[],
  env: Record<string, string> = {},
): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, [join(ROOT, 'bin', 'trellis.js'), ...args], {
    cwd: ROOT,
    env: trellisEnv(env),
  });
}
