import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './fixtures.js';

/** Runs the real `trellis` binary from the TypeScript sources, as a user would. */
export function trellis(args: string[], env: Record<string, string> = {}) {
  const res = spawnSync(process.execPath, [join(ROOT, 'bin', 'trellis.js'), ...args], {
    cwd: ROOT,
    env: { ...process.env, TRELLIS_FROM_SOURCE: '1', LOG_LEVEL: 'silent', ...env },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: res.status, stdout: res.stdout, stderr: res.stderr };
}
