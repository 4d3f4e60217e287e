import { CandidateIndex } from '../src/core/matching/index.js';
import type { IndexEntry } from '../src/core/matching/index.js';
import { seededRandom } from '../src/core/shared/random.js';
import {
  buildVocabulary,
  customerParty,
  CustomerGenerator,
  newSubmission,
  variantOf,
} from './dealcheck/generator.js';
import type { Customer, Party, Submission } from './dealcheck/generator.js';
import { runPgTrgm, runSqliteFts5 } from './dealcheck/peers.js';
import { useCaseCheck } from './dealcheck/use-case.js';
import type { PeerRun } from './dealcheck/peers.js';

/**
 * `npm run bench -- dealcheck [--registrations N] [--submissions N] [--peer-sample N] [--seed N] [--core] [--json]`
 *
 * A vendor holding N (default 1,000,000) active registrations of generated customers; 10,000 new
 * submissions, half variants of registered customers (documented variant rules), half new customers (half
 * of those look-alikes). Measures the conflict check per submission (p50, p99), the build time, RSS, and
 * precision and recall against the generator's truth. A submission is "found" when the check answers a
 * conflict ('match' or 'possible') that includes its registered customer; precision counts every
 * submission the check answered with a conflict, recall every variant submission.
 *
 * The check is the path a user runs by default: the deal-registration use case (`assessConflicts`, what a
 * submission and the live hint call) on a SQLite store holding the N registrations (`bench/dealcheck/
 * use-case.ts`); `--core` times the core CandidateIndex alone (search + compareParties) for comparison.
 */
export interface ConflictCheck {
  /** Ids of the registered customers the check answers as conflicts (empty: no conflict). */
  (party: Party): string[] | Promise<string[]>;
}
export type CheckFactory = (
  registrations: readonly IndexEntry[],
  log: (line: string) => void,
) => Promise<{
  check: ConflictCheck;
  close: () => Promise<void>;
  /** Seconds spent storing the registrations (the use case), outside the build. */
  loadS?: number;
  /** Seconds the build took, when the factory measures it itself. */
  buildS?: number;
}>;

export const coreCheck: CheckFactory = async (registrations) => {
  const index = new CandidateIndex();
  for (const r of registrations) index.add(r);
  return {
    check: (party) =>
      index
        .search(party, { limit: 10 })
        .filter((c) => c.decision !== 'none')
        .map((c) => c.id),
    close: async () => {},
  };
};

/** The use case on a store: build time is the first check, which builds the index from the store. */
export const useCaseCheckFactory: CheckFactory = async (registrations, log) => {
  const u = await useCaseCheck(registrations, log);
  return { check: u.check, close: u.close, loadS: u.loadS, buildS: u.buildS };
};

export interface DealcheckOptions {
  registrations: number;
  submissions: number;
  /** Submissions given to each peer (a sample: the peers are slow). */
  peerSample: number;
  seed: number;
  postgresUrl: string | null;
  checkFactory?: CheckFactory;
  log: (line: string) => void;
}

interface Quality {
  precision: number;
  recall: number;
  tp: number;
  fp: number;
  fn: number;
}

function quality(subs: readonly Submission[], answers: readonly string[][]): Quality {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  subs.forEach((s, i) => {
    const a = answers[i] ?? [];
    if (s.truth && a.includes(s.truth)) tp++;
    else if (a.length > 0) fp++;
    if (s.truth && !a.includes(s.truth)) fn++;
  });
  return {
    precision: tp + fp === 0 ? 1 : tp / (tp + fp),
    recall: tp + fn === 0 ? 1 : tp / (tp + fn),
    tp,
    fp,
    fn,
  };
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

const r3 = (x: number) => Math.round(x * 1000) / 1000;
const r4 = (x: number) => Math.round(x * 10000) / 10000;

export async function runDealcheckBench(o: DealcheckOptions): Promise<{
  result: Record<string, unknown>;
  misses: Submission[];
  falseAlarms: { submission: Submission; answered: string[] }[];
  customers: Map<string, Customer>;
}> {
  const rnd = seededRandom(o.seed);
  const t0 = performance.now();
  const vocab = buildVocabulary(rnd, Math.max(2_000, Math.min(120_000, Math.round(o.registrations / 6))));
  const gen = new CustomerGenerator(rnd, vocab);
  const registered: Customer[] = [];
  for (let i = 0; i < o.registrations; i++) registered.push(gen.registered());
  const entries: IndexEntry[] = registered.map((c) => ({
    id: c.id,
    kind: 'registration',
    party: customerParty(c),
  }));
  const submissions: Submission[] = [];
  for (let i = 0; i < o.submissions; i++) {
    if (i % 2 === 0) submissions.push(variantOf(rnd, rnd.pick(registered)));
    else {
      const like = rnd.chance(0.5) ? rnd.pick(registered) : null;
      const { customer, lookAlike } = gen.newCustomer(like);
      submissions.push(newSubmission(customer, rnd, lookAlike));
    }
  }
  const generateS = (performance.now() - t0) / 1000;
  o.log(
    `generated ${o.registrations} registrations and ${o.submissions} submissions in ${generateS.toFixed(1)} s`,
  );

  const gcBefore = process.memoryUsage().rss;
  const b0 = performance.now();
  const built = await (o.checkFactory ?? useCaseCheckFactory)(entries, o.log);
  const check = built.check;
  // The use case stores the registrations first: its build is the first check (the index from the store).
  const buildS = built.buildS ?? (performance.now() - b0) / 1000;
  const rssMb = Math.round(process.memoryUsage().rss / 1e6);
  o.log(
    `built the check in ${buildS.toFixed(2)} s; RSS ${rssMb} MB (${Math.round((process.memoryUsage().rss - gcBefore) / 1e6)} MB more than before the build)`,
  );

  for (let i = 0; i < Math.min(200, submissions.length); i++)
    await check((submissions[i] as Submission).party); // warm-up
  const latencies: number[] = [];
  // Process CPU time too: on a shared machine wall time includes waiting for a core.
  const cpu: number[] = [];
  const answers: string[][] = [];
  for (const s of submissions) {
    const c0 = process.cpuUsage();
    const t = performance.now();
    const a = await check(s.party);
    latencies.push(performance.now() - t);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
    answers.push(a);
  }
  const sorted = [...latencies].sort((a, b) => a - b);
  const cpuSorted = [...cpu].sort((a, b) => a - b);
  const q = quality(submissions, answers);
  o.log(
    `check: p50 ${percentile(sorted, 50).toFixed(3)} ms, p99 ${percentile(sorted, 99).toFixed(3)} ms, max ${(sorted[sorted.length - 1] ?? 0).toFixed(2)} ms`,
  );
  o.log(
    `check, process CPU time (all threads, GC included): p50 ${percentile(cpuSorted, 50).toFixed(3)} ms, p99 ${percentile(cpuSorted, 99).toFixed(3)} ms`,
  );
  o.log(
    `check: precision ${q.precision.toFixed(4)} recall ${q.recall.toFixed(4)} (tp ${q.tp}, fp ${q.fp}, fn ${q.fn})`,
  );

  // Recall by rule, false alarms by kind (look-alike or fresh).
  const byRule: Record<string, [number, number]> = {};
  submissions.forEach((s, i) => {
    if (!s.truth) return;
    for (const r of s.rules) {
      const e = (byRule[r] ??= [0, 0]);
      e[1]++;
      if ((answers[i] ?? []).includes(s.truth)) e[0]++;
    }
  });
  const recallByRule = Object.fromEntries(Object.entries(byRule).map(([r, [f, n]]) => [r, `${f}/${n}`]));
  const misses = submissions.filter((s, i) => s.truth !== null && !(answers[i] ?? []).includes(s.truth));
  const falseAlarms = submissions
    .map((s, i) => ({ submission: s, answered: answers[i] ?? [] }))
    .filter(
      ({ submission, answered }) =>
        answered.length > 0 && !(submission.truth && answered.includes(submission.truth)),
    );

  // Peers on a sample of the same submissions.
  // As many variants as new customers (submissions alternate: even indices are variants).
  const sampleIdx: number[] = [];
  const size = Math.min(o.peerSample, submissions.length);
  for (let i = 0; i < size; i++) {
    const at = Math.floor((i * submissions.length) / size);
    sampleIdx.push(Math.min(submissions.length - 1, at - (at % 2) + (i % 2)));
  }
  const sample = sampleIdx.map((i) => submissions[i] as Submission);
  const names = entries.map((e) => e.party.name);
  const peerFigures = (run: PeerRun) => {
    const s = [...run.latencies].sort((a, b) => a - b);
    const pq = quality(sample, run.answers);
    return {
      p50_ms: r3(percentile(s, 50)),
      p99_ms: r3(percentile(s, 99)),
      precision: r4(pq.precision),
      recall: r4(pq.recall),
      load_s: r3(run.loadS),
      sample: sample.length,
    };
  };
  const peers: Record<string, ReturnType<typeof peerFigures>> = {};
  if (o.postgresUrl) {
    const run = await runPgTrgm(
      o.postgresUrl,
      names,
      sample.map((s) => s.party),
    );
    peers.pg_trgm = peerFigures(run);
    o.log(`pg_trgm: ${JSON.stringify(peers.pg_trgm)}`);
  }
  const fts = runSqliteFts5(
    names,
    sample.map((s) => s.party),
  );
  peers.sqlite_fts5 = peerFigures(fts);
  o.log(`sqlite_fts5: ${JSON.stringify(peers.sqlite_fts5)}`);

  await built.close();
  const p99 = percentile(sorted, 99);
  const result: Record<string, unknown> = {
    check: o.checkFactory === coreCheck ? 'core index' : 'use case (assessConflicts on SQLite)',
    registrations: o.registrations,
    p50_ms: r3(percentile(sorted, 50)),
    p99_ms: r3(p99),
    precision: r4(q.precision),
    recall: r4(q.recall),
    build_s: r3(buildS),
    rss_mb: rssMb,
    peers,
    submissions: o.submissions,
    tp: q.tp,
    fp: q.fp,
    fn: q.fn,
    max_ms: r3(sorted[sorted.length - 1] ?? 0),
    cpu_p50_ms: r3(percentile(cpuSorted, 50)),
    cpu_p99_ms: r3(percentile(cpuSorted, 99)),
    generate_s: r3(generateS),
    recall_by_rule: recallByRule,
    ...(peers.pg_trgm ? { speedup_vs_pg_trgm_p99: Math.round(peers.pg_trgm.p99_ms / p99) } : {}),
    speedup_vs_sqlite_fts5_p99: Math.round(peers.sqlite_fts5.p99_ms / p99),
  };
  return { result, misses, falseAlarms, customers: new Map(registered.map((c) => [c.id, c])) };
}

export async function dealcheckBench(args: string[]): Promise<Record<string, unknown>> {
  const opt = (name: string, fallback: string) => {
    const i = args.indexOf(name);
    return i >= 0 && args[i + 1] ? (args[i + 1] as string) : fallback;
  };
  const json = args.includes('--json');
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const { result, misses, falseAlarms, customers } = await runDealcheckBench({
    registrations: Number(opt('--registrations', '1000000')),
    submissions: Number(opt('--submissions', '10000')),
    peerSample: Number(opt('--peer-sample', '300')),
    seed: Number(opt('--seed', '1')),
    postgresUrl: process.env.TRELLIS_TEST_DATABASE_URL ?? null,
    ...(args.includes('--core') ? { checkFactory: coreCheck } : {}),
    log,
  });
  if (args.includes('--explain')) {
    for (const m of misses.slice(0, 30))
      log(
        `miss [${m.rules.join(',')}] ${JSON.stringify(m.party)} <- ${JSON.stringify(customerParty(customers.get(m.truth as string) as Customer))}`,
      );
    for (const f of falseAlarms.slice(0, 30))
      log(
        `false alarm${f.submission.lookAlike ? ' (look-alike)' : ''} ${JSON.stringify(f.submission.party.name)} -> ${f.answered.map((id) => customerParty(customers.get(id) as Customer).name).join(' | ')}`,
      );
  }
  if (!json) return result;
  // The JSON line: the figures the issue names first.
  const { registrations, p50_ms, p99_ms, precision, recall, build_s, rss_mb, peers } = result;
  const slim = Object.fromEntries(
    Object.entries(peers as Record<string, { p99_ms: number; precision: number; recall: number }>).map(
      ([k, v]) => [k, { p99_ms: v.p99_ms, precision: v.precision, recall: v.recall }],
    ),
  );
  log(JSON.stringify(result));
  return { registrations, p50_ms, p99_ms, precision, recall, build_s, rss_mb, peers: slim };
}
