import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * A full garbage collection, to return the column buffers of a finished phase before the next one
 * allocates its own (the bench measures peak RSS). The usual way to reach `gc` without starting node
 * with --expose-gc: set the flag, then read `gc` from a fresh context.
 */
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

export function collectGarbage(): void {
  gc();
}
