import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { isConcurrencyError } from '../app/concurrency.js';
import { TrellisError, type ErrorCode, type ErrorDetail } from '../core/shared/errors.js';

/** The one map from error codes to HTTP statuses. Exhaustive: a new code does not compile until mapped. */
const STATUS: Record<ErrorCode, number> = {
  not_found: 404,
  invalid_input: 400,
  conflict: 409,
  unauthenticated: 401,
  forbidden: 403,
  rate_limited: 429,
  store_unreachable: 503,
  store_busy: 503,
  not_empty: 409,
  invalid_config: 500,
  upstream_unreachable: 502,
  limit_exceeded: 422,
  too_large: 413,
  unsupported_type: 415,
};

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  414: 'URI Too Long',
  502: 'Bad Gateway',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** The HTTP status of an error code (a job's recorded error; unknown codes are 500). */
export function statusOf(code: string): number {
  return (STATUS as Record<string, number>)[code] ?? 500;
}

/** RFC 9457 problem details: the only error shape the API returns. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance: string;
  errors?: ErrorDetail[];
  /** The message's code and parameters, which the web app translates (TrellisErrorOptions). */
  messageKey?: string;
  params?: Readonly<Record<string, string | number>>;
}

export function problem(
  status: number,
  code: string,
  detail: string,
  instance: string,
  errors?: ErrorDetail[],
  message?: Pick<Problem, 'messageKey' | 'params'>,
): Problem {
  return {
    type: `https://trellis.dev/problems/${code}`,
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    code,
    instance,
    ...(errors && errors.length > 0 ? { errors } : {}),
    ...(message?.messageKey ? { messageKey: message.messageKey, params: message.params ?? {} } : {}),
  };
}

export function sendProblem(reply: FastifyReply, p: Problem): FastifyReply {
  return reply.status(p.status).type('application/problem+json').send(p);
}

export function errorHandler(
  error: FastifyError | Error,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  const instance = request.url;
  if (error instanceof TrellisError) {
    const retry = error.options.retryAfterSeconds;
    if (retry !== undefined) reply.header('retry-after', String(retry));
    return sendProblem(
      reply,
      problem(STATUS[error.code], error.code, error.message, instance, [...error.details], error.options),
    );
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const errors = error.validation.map((v) => ({
      location: `${error.validationContext ?? 'request'}${v.instancePath ? v.instancePath.replaceAll('/', '.') : ''}`,
      message: v.message ?? 'is invalid',
    }));
    return sendProblem(
      reply,
      problem(
        400,
        'invalid_input',
        errors.map((e) => `${e.location}: ${e.message}`).join('; '),
        instance,
        errors,
      ),
    );
  }
  // Two requests raced and the store chose the winner (a serialization failure, a deadlock or a unique
  // key the use case did not expect): the loser is told to read again, never a 500.
  if (isConcurrencyError(error))
    return sendProblem(
      reply,
      problem(
        409,
        'conflict',
        'another request changed the same records at the same time; read them again and retry',
        instance,
      ),
    );
  if (isResponseSerializationError(error)) {
    request.log.error({ err: error }, 'response did not match its schema');
    return sendProblem(reply, problem(500, 'internal', 'the server produced an invalid response', instance));
  }
  const fe = error as FastifyError;
  // A write that waited its whole budget behind another thread's write transaction (a job on SQLite), or a
  // request that waited its whole budget for one of PostgreSQL's pooled connections (a burst).
  if (
    /^SQLITE_BUSY/.test(String(fe.code ?? '')) ||
    /timeout exceeded when trying to connect/i.test(fe.message ?? '')
  ) {
    reply.header('retry-after', '2');
    return sendProblem(
      reply,
      problem(503, 'store_busy', 'the store is busy with a long write (a close); retry shortly', instance),
    );
  }
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    const code = (fe.code ?? 'bad_request').toLowerCase().replace(/^fst_err_/, '');
    return sendProblem(reply, problem(fe.statusCode, code, fe.message, instance));
  }
  request.log.error({ err: error }, 'unhandled error');
  return sendProblem(
    reply,
    problem(500, 'internal', 'an unexpected error occurred; it has been logged', instance),
  );
}
