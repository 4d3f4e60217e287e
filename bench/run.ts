/**
 * `npm run bench -- <name> [options] [--json]`: the project's benchmarks. Each prints a human summary and,
 * with --json, ends with one line of JSON whose first key is "bench". Record results in BENCHMARKS.md.
 */
import { apiBench } from './api.js';
import { closeBench } from './close.js';
import { closeRealBench } from './close-real.js';
import { dealcheckBench } from './dealcheck.js';
import { demoBench } from './demo.js';
import { demoGenerationBench } from './demo-generation.js';
import { ingestBench } from './ingest.js';
import { partnerHomeBench } from './partner-home.js';
import { routingBench } from './routing.js';
import { scaleBench } from './scale.js';
import { simulateBench } from './simulate.js';
import { tiersBench } from './tiers.js';

const BENCHES: Record<string, (args: string[]) => Promise<Record<string, unknown>>> = {
  api: apiBench,
  close: closeBench,
  'close-real': closeRealBench,
  dealcheck: dealcheckBench,
  demo: demoBench,
  'demo-generation': demoGenerationBench,
  ingest: ingestBench,
  'partner-home': partnerHomeBench,
  routing: routingBench,
  scale: scaleBench,
  simulate: simulateBench,
  tiers: tiersBench,
};

const [name, ...args] = process.argv.slice(2);
const bench = name ? BENCHES[name] : undefined;
if (!bench) {
  process.stderr.write(`usage: npm run bench -- <${Object.keys(BENCHES).join('|')}> [options] [--json]\n`);
  process.exit(2);
}
const result = await bench(args);
const line = JSON.stringify({ bench: name, ...result });
if (args.includes('--json')) process.stdout.write(`${line}\n`);
else
  process.stdout.write(
    `${Object.entries(result)
      .map(([k, v]) => `${k}: ${v !== null && typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
      .join('\n')}\n`,
  );
