import { existsSync } from 'node:fs';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import fastifyCookie from '@fastify/cookie';
import Fastify, { type FastifyServerOptions } from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { AppContext } from '../app/context.js';
import { failInterruptedJobs } from '../app/jobs/jobs.js';
import { installAccessGate } from './access.js';
import { installInputGuard } from './input-guard.js';
import { installCsvExport } from './csv-export.js';
import { applySecurityHeaders, installSecurityHeaders } from './security-headers.js';
import { errorHandler, problem, sendProblem } from './errors.js';
import { agreementRoutes } from './routes/agreements.js';
import { auditRoutes } from './routes/audit.js';
import { certificationRoutes } from './routes/certifications.js';
import { authRoutes } from './routes/auth.js';
import { customerRoutes } from './routes/customers.js';
import { dealRoutes } from './routes/deals.js';
import { transferRoutes } from './routes/transfers.js';
import { notificationRoutes } from './routes/notifications.js';
import { webhookRoutes } from './routes/webhooks.js';
import { mdfRoutes } from './routes/mdf.js';
import { fileRoutes } from './routes/files.js';
import { simulationRoutes } from './routes/simulations.js';
import { engagementRoutes } from './routes/engagement.js';
import { healthRoutes } from './routes/health.js';
import { importRoutes } from './routes/imports.js';
import { jobRoutes } from './routes/jobs.js';
import { orderRoutes } from './routes/orders.js';
import { vendorHomeRoutes } from './routes/vendor-home.js';
import { partnerHomeRoutes } from './routes/partner-home.js';
import { partnerRoutes } from './routes/partners.js';
import { productRoutes } from './routes/products.js';
import { rateRoutes } from './routes/rates.js';
import { programRoutes } from './routes/programs.js';
import { searchRoutes } from './routes/search.js';
import { settlementRoutes } from './routes/settlement.js';
import { tierRoutes } from './routes/tiers.js';
import { ssoRoutes } from './routes/sso.js';
import { tokenRoutes } from './routes/tokens.js';
import { vendorRoutes } from './routes/vendors.js';
import type { RouteModule, Server } from './types.js';

export const ROUTE_MODULES: readonly RouteModule[] = [
  healthRoutes,
  authRoutes,
  tokenRoutes,
  ssoRoutes,
  auditRoutes,
  vendorRoutes,
  programRoutes,
  partnerRoutes,
  productRoutes,
  customerRoutes,
  orderRoutes,
  importRoutes,
  tierRoutes,
  certificationRoutes,
  settlementRoutes,
  dealRoutes,
  engagementRoutes,
  agreementRoutes,
  partnerHomeRoutes,
  vendorHomeRoutes,
  transferRoutes,
  simulationRoutes,
  rateRoutes,
  notificationRoutes,
  webhookRoutes,
  mdfRoutes,
  fileRoutes,
  jobRoutes,
  searchRoutes,
];

export interface ServerOptions {
  logger?: FastifyServerOptions['logger'];
  /** Folder of the built web app (index.html and assets); not served when absent. */
  webRoot?: string | undefined;
  /**
   * Which proxies to believe about the client address and protocol (X-Forwarded-For, X-Forwarded-Proto):
   * none (false, the default), all (true), a number of hops, or addresses and CIDR ranges. From
   * TRELLIS_TRUST_PROXY (src/app/config.ts).
   */
  trustProxy?: boolean | number | string[] | undefined;
}

/** Builds the HTTP API around a context. Does not listen: callers use listen() or inject(). */
export async function buildServer(ctx: AppContext, options: ServerOptions = {}): Promise<Server> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: 1024 * 1024,
    genReqId: () => ctx.ids.next('request'),
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    // The router's own refusals (bad percent-encoding, a parameter past maxParamLength) as problems too.
    frameworkErrors: (error, request, reply) => {
      applySecurityHeaders(request, reply);
      const status = error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 414 : 400;
      const detail =
        status === 414 ? 'a path parameter is longer than 200 characters' : 'the URL is not validly encoded';
      return sendProblem(reply, problem(status, 'invalid_input', detail, request.url ?? ''));
    },
    trustProxy:
      typeof options.trustProxy === 'number'
        ? (
            (hops: number) => (_address: string, hop: number) =>
              hop < hops
          )(options.trustProxy)
        : (options.trustProxy ?? false),
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);

  // Fail closed: a handler that reads the scope on a route the gate did not authorize gets an error.
  app.decorateRequest('scope', {
    getter: () => {
      throw new Error('request.scope read on a route without a permission');
    },
  });
  await app.register(fastifyCookie);
  installSecurityHeaders(app);
  installAccessGate(app, ctx);
  installInputGuard(app);
  // Start-up: jobs left queued or running by a stopped process are marked failed.
  await failInterruptedJobs(ctx);

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Trellis API',
        version: '0.1.0',
        description:
          'Partner programs as code: vendors, programs, partners, catalogue, customers and orders. Errors are RFC 9457 problem+json.',
      },
      tags: [
        { name: 'system' },
        { name: 'access' },
        { name: 'vendors' },
        { name: 'programs' },
        { name: 'partners' },
        { name: 'catalogue' },
        { name: 'customers' },
        { name: 'orders' },
        { name: 'tiers' },
        { name: 'incentives' },
        { name: 'search' },
      ],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' });

  installCsvExport(app);
  for (const register of ROUTE_MODULES) register(app, ctx);

  app.get('/api/openapi.json', { schema: { hide: true }, config: { access: 'public' } }, async () =>
    app.swagger(),
  );

  if (options.webRoot && existsSync(options.webRoot)) {
    await app.register(fastifyStatic, { root: options.webRoot, wildcard: false });
  }

  app.setNotFoundHandler((request, reply) => {
    const url = request.url.split('?')[0] ?? '';
    if (
      request.method === 'GET' &&
      !url.startsWith('/api/') &&
      options.webRoot &&
      existsSync(options.webRoot)
    ) {
      return reply.sendFile('index.html');
    }
    return sendProblem(reply, problem(404, 'not_found', `no route ${request.method} ${url}`, request.url));
  });

  return app;
}
