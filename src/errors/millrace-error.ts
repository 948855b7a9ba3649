import { ERROR_CODES, type ErrorCode } from './codes.ts';

/** Options common to every Millrace error. */
export interface MillraceErrorOptions {
  /** The underlying error, if any. */
  cause?: unknown;
  /** The task this error belongs to (`<subtopology>_<partition>`, e.g. `0_3`), where there is one. */
  taskId?: string;
  /** Extra structured fields for logs (never patient data). */
  details?: Record<string, unknown>;
}

/**
 * The one error base of Millrace. Every error carries a stable `code` (listed in docs/errors.md) and a
 * message that says what to do.
 *
 * @example
 * ```ts
 * throw new MillraceError('MR_KAFKA_TOPIC_CREATE', 'could not create topic "orders": check the broker ACLs');
 * ```
 */
export class MillraceError extends Error {
  readonly code: ErrorCode;
  readonly taskId: string | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options: MillraceErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'MillraceError';
    this.code = code;
    this.taskId = options.taskId;
    this.details = options.details;
  }

  /** The one-line summary of what the code means (docs/errors.md has the same text). */
  get summary(): string {
    return ERROR_CODES[this.code];
  }
}

/** True when `err` is a MillraceError, optionally with the given code. */
export function isMillraceError(err: unknown, code?: ErrorCode): err is MillraceError {
  return err instanceof MillraceError && (code === undefined || err.code === code);
}
