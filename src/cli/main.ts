import { Command } from 'commander';
import { registerAgreements } from './commands/agreements.js';
import { registerAudit } from './commands/audit.js';
import { registerDb } from './commands/db.js';
import { registerDeals } from './commands/deals.js';
import { registerDemo } from './commands/demo.js';
import { registerEngagement } from './commands/engagement.js';
import { registerImport } from './commands/import.js';
import { registerProducts } from './commands/products.js';
import { registerProgram } from './commands/program.js';
import { registerRates } from './commands/rates.js';
import { registerServe } from './commands/serve.js';
import { registerSettlement } from './commands/settlement.js';
import { registerSimulate } from './commands/simulate.js';
import { registerTiers } from './commands/tiers.js';
import { registerTransfers } from './commands/transfers.js';
import { registerUsers } from './commands/users.js';
import { registerSso } from './commands/sso.js';
import { registerWebhooks } from './commands/webhooks.js';
import { registerMdf } from './commands/mdf.js';
import { registerFiles } from './commands/files.js';
import { registerWorker } from './commands/worker.js';

/** The `trellis` command. Every subcommand has --help; errors print one line (a stack with --verbose). */
export function buildCli(): Command {
  const program = new Command('trellis')
    .description('Trellis: partner programs as code, deal registration, rebates and payouts')
    .version('0.1.0')
    .option('-v, --verbose', 'print stack traces with errors')
    .showHelpAfterError('(run with --help for usage)');
  registerServe(program);
  registerDb(program);
  registerDemo(program);
  registerProgram(program);
  registerUsers(program);
  registerSso(program);
  registerAudit(program);
  registerTiers(program);
  registerImport(program);
  registerSettlement(program);
  registerSimulate(program);
  registerDeals(program);
  registerEngagement(program);
  registerProducts(program);
  registerAgreements(program);
  registerTransfers(program);
  registerWebhooks(program);
  registerMdf(program);
  registerFiles(program);
  registerRates(program);
  registerWorker(program);
  return program;
}

// Output piped into `head` and closed early is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

await buildCli().parseAsync(process.argv);
