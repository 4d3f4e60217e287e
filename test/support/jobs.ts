import type { Reply } from './http.js';

type Call = (
  method: 'GET' | 'POST' | 'DELETE' | 'PUT' | 'PATCH',
  url: string,
  payload?: unknown,
) => Promise<Reply>;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls a job (its Location) until it has finished; returns the job. */
export async function awaitJob(call: Call, location: string, timeoutMs = 60_000): Promise<Reply> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await call('GET', location);
    if (res.status !== 200) return res;
    if (res.body.status === 'succeeded' || res.body.status === 'failed') return res;
    if (Date.now() > deadline) throw new Error(`job ${location} did not finish: ${res.text}`);
    await sleep(10);
  }
}

/**
 * Calls a route that starts a job and waits for it, answering as the request did before jobs: a
 * refusal before the job started as it is; then 200 with the job's result, or the job's problem (its
 * status and body). The job itself is in `job`.
 */
export async function viaJob(
  call: Call,
  method: 'POST',
  url: string,
  payload?: unknown,
): Promise<Reply & { job: Record<string, unknown> | null }> {
  const started = await call(method, url, payload);
  if (started.status !== 202) return { ...started, job: null };
  const location = String(started.headers.location ?? '');
  if (location !== `/api/jobs/${String(started.body.id)}`)
    throw new Error(`a 202 without the job's Location: ${location}`);
  const done = await awaitJob(call, location);
  const job = done.body;
  if (job.status === 'succeeded')
    return {
      ...done,
      status: 200,
      body: job.result as Record<string, unknown>,
      text: JSON.stringify(job.result),
      job,
    };
  const error = job.error as Record<string, unknown>;
  return { ...done, status: Number(error.status), body: error, text: JSON.stringify(error), job };
}
