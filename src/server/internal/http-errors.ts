import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isMillraceError, MillraceError, type ErrorCode } from '../../errors/index.ts';

/** The one error body of every route: a stable code and a message that names the parameter and says why. */
export interface ErrorBody {
  code: string;
  message: string;
  /** The instance that answered, where the error came from a store query. */
  servedBy?: string;
}

const STATUS: Partial<Record<ErrorCode, number>> = {
  MR_HTTP_BAD_REQUEST: 400,
  MR_HTTP_UNAUTHORIZED: 401,
  MR_HTTP_FORBIDDEN: 403,
  MR_HTTP_NOT_FOUND: 404,
  MR_STORE_NOT_QUERYABLE: 503,
  MR_APP_NOT_RUNNING: 503,
  MR_HTTP_FORWARD_FAILED: 502,
};

export const badRequest = (message: string) => new MillraceError('MR_HTTP_BAD_REQUEST', message);
export const notFound = (message: string, servedBy?: string) =>
  new MillraceError('MR_HTTP_NOT_FOUND', message, servedBy ? { details: { servedBy } } : {});

/** JSON schema of {@link ErrorBody}, for the OpenAPI document. */
export const ERROR_SCHEMA = {
  type: 'object',
  properties: { code: { type: 'string' }, message: { type: 'string' }, servedBy: { type: 'string' } },
  required: ['code', 'message'],
} as const;

/**
 * Maps every error to `{code, message}` with its status. Bad input is always 4xx: Fastify's own client
 * errors (bad JSON, media type, body size) keep their 4xx status; only unexpected errors are 500, and
 * their text is logged, not sent.
 */
export function errorHandler(retryAfterSeconds: number) {
  return (err: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) => {
    const send = (status: number, body: ErrorBody) => {
      if (status === 503) reply.header('retry-after', String(retryAfterSeconds));
      return reply.code(status).type('application/json').send(body);
    };
    if (isMillraceError(err)) {
      const status = STATUS[err.code] ?? 500;
      if (status >= 500 && status !== 503)
        request.log.error({ code: err.code, err: err.message }, 'request failed');
      const servedBy = err.details?.servedBy;
      return send(status, {
        code: err.code,
        message: err.message,
        ...(typeof servedBy === 'string' ? { servedBy } : {}),
      });
    }
    const fe = err as FastifyError;
    if (fe.validation) return send(400, { code: 'MR_HTTP_BAD_REQUEST', message: err.message });
    const status = fe.statusCode;
    if (status !== undefined && status >= 400 && status < 500) {
      return send(status, {
        code:
          status === 401
            ? 'MR_HTTP_UNAUTHORIZED'
            : status === 404
              ? 'MR_HTTP_NOT_FOUND'
              : 'MR_HTTP_BAD_REQUEST',
        message: err.message,
      });
    }
    request.log.error({ err: err.message, code: fe.code }, 'unexpected error');
    return send(500, { code: 'MR_HTTP_INTERNAL', message: 'internal error; the server log has the details' });
  };
}

interface AjvError {
  instancePath?: string;
  keyword: string;
  message?: string;
  params?: Record<string, unknown>;
}

/**
 * Turns ajv errors into one sentence naming each parameter: `querystring parameter "limit" must be <= 10000`.
 */
export function formatSchemaErrors(errors: readonly AjvError[], dataVar: string): Error {
  const where = dataVar === 'params' ? 'path' : dataVar;
  const parts = errors.map((e) => {
    const name = (e.instancePath ?? '').replace(/^\//, '').replaceAll('/', '.');
    if (e.keyword === 'additionalProperties')
      return `${where} parameter "${String(e.params?.additionalProperty)}" is not known`;
    if (e.keyword === 'required')
      return `${where} parameter "${String(e.params?.missingProperty)}" is required`;
    return name ? `${where} parameter "${name}" ${e.message ?? 'is invalid'}` : `${where} ${e.message}`;
  });
  const err = new Error(parts.join('; ')) as Error & { statusCode: number; validation: unknown };
  err.statusCode = 400;
  err.validation = errors;
  return err;
}
