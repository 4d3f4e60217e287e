import type {
  FastifyInstance,
  FastifyBaseLogger,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Scope } from '../core/access/scope.js';
import type { AppContext } from '../app/context.js';

export type Server = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

export type RouteModule = (app: Server, ctx: AppContext) => void;

declare module 'fastify' {
  interface FastifyRequest {
    /** Whose data this request may touch; set before any handler runs. */
    scope: Scope;
  }
}
