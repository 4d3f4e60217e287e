import { lapseOffers } from '../../app/engagement/offers.js';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { loadConfig } from '../../app/config.js';
import { DEMO_PASSWORD, loadDemo } from '../../app/demo/load-demo.js';
import { openAppStore } from '../../app/store.js';
import { DEMO_SCALES, type DemoScale } from '../../core/demo/index.js';
import { TrellisError } from '../../core/shared/errors.js';
import { buildServer } from '../../server/app.js';
import { sweepDeals } from '../../app/deals/sweep.js';
import { warmDealIndexes } from '../../app/deals/deal-index.js';
import { vendorsMissingCoverage } from '../../app/engagement/rebuild.js';
import { getJob, jobFinished, startJob } from '../../app/jobs/jobs.js';
import { dispatchNotifications } from '../../app/notifications/dispatch.js';
import { smtpMailer } from '../../app/notifications/mailer.js';
import { scanExpiring } from '../../app/notifications/scan.js';
import { startWebhookDispatcher } from '../../app/webhooks/dispatch.js';
import { SYSTEM_SCOPE } from '../../core/access/scope.js';
import { configuredContext } from '../context.js';
import { createProgress } from '../progress.js';
import { runCommand } from '../run.js';

const WEB_ROOT = fileURLToPath(new URL('../../../dist/web/', import.meta.url));

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('start the HTTP API and web app (migrates the database first)')
    .option('-p, --port <port>', 'port to listen on (default: $PORT or 3000)')
    .option('--host <host>', 'address to bind (default: $HOST or 127.0.0.1)')
    .option(
      '--demo-if-empty [scale]',
      'load the demo world first when the database is empty (small|medium|large)',
    )
    .action(async (opts: { port?: string; host?: string; demoIfEmpty?: string | boolean }) => {
      const verbose = Boolean(program.opts().verbose);
      await runCommand(verbose, async () => {
        const config = loadConfig({
          ...process.env,
          ...(opts.port ? { PORT: opts.port } : {}),
          ...(opts.host ? { HOST: opts.host } : {}),
        });
        let store = await openAppStore(config.store);
        let ctx = configuredContext(store, config);
        if (opts.demoIfEmpty && (await ctx.repos.vendors.count()) === 0) {
          // The load is a one-off bulk write before serving: on a main-thread SQLite connection (the
          // worker's is closed meanwhile), for the loader's fastest paths; the server's opens after it.
          const onWorker = store.capabilities.sqliteThread === 'worker' && config.store.kind === 'sqlite';
          if (onWorker) {
            await store.close();
            store = await openAppStore(
              config.store.kind === 'sqlite' ? { ...config.store, thread: 'main' } : config.store,
            );
            ctx = configuredContext(store, config);
          }
          const scale = (typeof opts.demoIfEmpty === 'string' ? opts.demoIfEmpty : 'small') as DemoScale;
          if (!(scale in DEMO_SCALES))
            throw new TrellisError(
              'invalid_input',
              `--demo-if-empty: unknown scale "${scale}"; use small, medium or large`,
            );
          process.stderr.write(`Empty database: loading the ${scale} demo world (seed 1)...\n`);
          const bar = createProgress();
          let phase = '';
          const summary = await loadDemo(ctx, {
            scale,
            seed: 1,
            onProgress: (p) => {
              if (p.phase !== phase) {
                phase = p.phase;
                bar.phase(p.phase, p.total);
              }
              bar.update(p.done);
            },
          });
          bar.stop();
          process.stderr.write(
            [
              `Demo loaded in ${summary.seconds.toFixed(1)} s: ${summary.partners} partners, ${summary.customers} customers, ${summary.orderLines} order lines.`,
              `Sign in with password "${DEMO_PASSWORD}" as, for example:`,
              ...summary.signIns.map(
                (s) => `  ${s.email.padEnd(34)} ${s.role.padEnd(18)} ${s.vendorSlug ?? s.partnerName ?? ''}`,
              ),
              '',
            ].join('\n'),
          );
          if (onWorker) {
            await store.close();
            store = await openAppStore(config.store);
            ctx = configuredContext(store, config);
          }
        }
        const server = await buildServer(ctx, {
          logger: { level: config.logLevel, redact: ['req.headers.authorization', 'req.headers.cookie'] },
          webRoot: WEB_ROOT,
          trustProxy: config.trustProxy,
        });
        let dispatcher: { stop(): Promise<void> } = { stop: async () => undefined };
        let closing = false;
        const shutdown = (signal: string) => {
          if (closing) return;
          closing = true;
          server.log.info({ signal }, 'shutting down');
          void dispatcher
            .stop()
            .then(() => server.close())
            .then(() => store.close())
            .then(() => process.exit(0));
        };
        process.once('SIGINT', () => shutdown('SIGINT'));
        process.once('SIGTERM', () => shutdown('SIGTERM'));
        await server.listen({ port: config.port, host: config.host });
        // Webhooks: the dispatcher delivers the outbox's events, off the request path (docs/webhooks.md).
        dispatcher = startWebhookDispatcher(ctx, {
          onPass: (r) => {
            if (r.delivered + r.retried + r.failed > 0) server.log.info(r, 'webhook deliveries');
          },
          onPrune: (r) => server.log.info(r, 'webhook log pruned'),
          onError: (e) => server.log.error({ err: e }, 'webhook dispatch failed'),
        });
        // The deal-registration matcher's indexes, built off any request (it yields to requests meanwhile).
        void warmDealIndexes(ctx).catch((e: unknown) =>
          server.log.error({ err: e }, 'deal index warm-up failed'),
        );
        // A store upgraded from before the rules of engagement: who sold to whom is computed once from
        // its orders, as a background job per vendor (each order keeps it in step afterwards).
        void vendorsMissingCoverage(ctx)
          .then(async (vendors) => {
            for (const vendorId of vendors) {
              const job = await startJob(
                ctx,
                { actor: { kind: 'system', id: 'upgrade' }, scope: SYSTEM_SCOPE, requestId: null },
                'coverage-rebuild',
                { vendorId },
                { vendorId },
              );
              server.log.info({ job: job.id, vendorId }, 'rebuilding coverage from stored orders');
            }
          })
          .catch((e: unknown) => server.log.error({ err: e }, 'coverage rebuild failed'));
        if (config.scheduler) {
          // The daily run, as a background job (off the event loop on a file store or PostgreSQL): every
          // program's tier evaluation (the yearly audit happens by itself on each program's audit date),
          // then the periods whose close date on the payout calendar has come (draft statements).
          const daily = async () => {
            const asOf = new Date().toISOString().slice(0, 10);
            try {
              const job = await startJob(
                ctx,
                { actor: { kind: 'system', id: 'scheduler' }, scope: SYSTEM_SCOPE, requestId: null },
                'daily',
                { asOf, closeShards: ctx.settings.close.shards },
              );
              await jobFinished(ctx, job.id);
              const done = await getJob(ctx, SYSTEM_SCOPE, job.id);
              if (done.status === 'succeeded')
                server.log.info({ job: job.id, ...(done.result as object) }, 'daily run');
              else server.log.error({ job: job.id, error: done.error }, 'daily run failed');
            } catch (e) {
              server.log.error({ err: e }, 'daily run failed');
            }
          };
          setTimeout(() => void daily(), 10_000).unref();
          setInterval(() => void daily(), 24 * 3600_000).unref();
          // Every minute: deal registrations past their protection expire, reviews past their SLA are
          // flagged (escalated or approved as the program says). A few short transactions, in process.
          const sweep = async () => {
            try {
              const r = await sweepDeals(ctx);
              if (r.expired + r.breached > 0) server.log.info(r, 'deal registration sweep');
            } catch (e) {
              server.log.error({ err: e }, 'deal registration sweep failed');
            }
            // Routed orders' offers past their deadline go to the next candidate (or direct).
            try {
              const lapsed = await lapseOffers(ctx);
              if (lapsed > 0) server.log.info({ lapsed }, 'routing offers lapsed');
            } catch (e) {
              server.log.error({ err: e }, 'routing offer sweep failed');
            }
            // Registrations and certifications about to expire are told once per threshold; then the
            // notifications go out by e-mail when a mail transport is configured (docs/notifications.md).
            try {
              await scanExpiring(ctx);
              if (mailer) {
                const m = await dispatchNotifications(ctx, mailer, {
                  publicUrl: config.mail?.publicUrl ?? null,
                });
                if (m.sent + m.failed > 0) server.log.info(m, 'notification e-mail');
              }
            } catch (e) {
              server.log.error({ err: e }, 'notification sweep failed');
            }
          };
          const mailer = config.mail ? smtpMailer(config.mail) : null;
          setInterval(() => void sweep(), 60_000).unref();
        }
        const base = `http://${config.host === '0.0.0.0' || config.host === '127.0.0.1' ? 'localhost' : config.host}:${config.port}`;
        process.stderr.write(
          [
            '',
            `Trellis is running at ${base}  (database: ${store.capabilities.kind}, ${store.location})`,
            `  web app        ${base}/`,
            `  API reference  ${base}/api/docs   (OpenAPI 3.1: ${base}/api/openapi.json)`,
            `  sign in        ${base}/sign-in   (demo password "${DEMO_PASSWORD}"; see the README for every demo role)`,
            `  API            curl -c jar -H 'content-type: application/json' -d '{"email":"admin@dell.demo","password":"${DEMO_PASSWORD}"}' ${base}/api/auth/sign-in`,
            `                 curl -b jar '${base}/api/partners?limit=5'`,
            '',
          ].join('\n') + '\n',
        );
        await new Promise<never>(() => undefined);
      });
    });
}
