import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * Starts a worker thread on the module `name` beside `callerUrl` (the caller's `import.meta.url`). From the
 * build it runs `<name>.js`; from the TypeScript sources (tsx, vitest) a one-line bootstrap registers tsx in
 * the thread first, since a worker does not inherit the main thread's module hooks. Used by the SQLite worker
 * and, through app/worker-thread.ts, by the job and demo threads.
 */
export function startWorkerBeside(callerUrl: string, name: string, workerData: unknown): Worker {
  const compiled = !callerUrl.endsWith('.ts');
  const target = new URL(`./${name}.${compiled ? 'js' : 'ts'}`, callerUrl);
  if (compiled) return new Worker(target, { workerData });
  const api = pathToFileURL(
    createRequire(import.meta.url)
      .resolve('tsx/esm/api')
      .replace(/\.cjs$/, '.mjs'),
  ).href;
  const code = `const { register } = await import(${JSON.stringify(api)}); register(); await import(${JSON.stringify(target.href)});`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(code)}`), { workerData });
}
