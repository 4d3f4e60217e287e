import { TrellisError } from '../core/shared/errors.js';

/** Shared by every command: one clear message and a non-zero exit; a stack trace only with --verbose. */
export async function runCommand(verbose: boolean, body: () => Promise<number | void>): Promise<void> {
  try {
    const code = await body();
    if (typeof code === 'number' && code !== 0) process.exitCode = code;
  } catch (e) {
    if (e instanceof TrellisError) {
      process.stderr.write(`trellis: ${e.message}\n`);
      for (const d of e.details) process.stderr.write(`  ${d.location}: ${d.message}\n`);
    } else {
      process.stderr.write(`trellis: ${(e as Error).message ?? String(e)}\n`);
    }
    if (verbose && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
    process.exitCode = process.exitCode && process.exitCode !== 0 ? process.exitCode : 1;
  }
}
