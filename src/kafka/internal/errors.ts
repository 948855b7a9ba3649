import { findErrorBy } from '@platformatic/kafka';
import { MillraceError, isMillraceError, type ErrorCode } from '../../errors/index.ts';

/** True when `error` (or one of its nested errors) is the Kafka protocol error `apiId`, e.g. `TOPIC_ALREADY_EXISTS`. */
export function hasKafkaError(error: unknown, apiId: string): boolean {
  return error instanceof Error && findErrorBy(error, 'apiId', apiId) !== null;
}

/** The Kafka protocol error names found in `error` and its nested errors, for messages and logs. */
export function kafkaErrorNames(error: unknown): string[] {
  const names = new Set<string>();
  const visit = (e: unknown, depth: number): void => {
    if (!(e instanceof Error) || depth > 6) return;
    const apiId = (e as { apiId?: unknown }).apiId;
    if (typeof apiId === 'string') names.add(apiId);
    const nested = (e as { errors?: unknown }).errors;
    if (Array.isArray(nested)) for (const n of nested) visit(n, depth + 1);
    visit(e.cause, depth + 1);
  };
  visit(error, 0);
  return [...names];
}

/**
 * Runs `operation` and turns any library error into a MillraceError with `code`. `action` completes the sentence
 * "could not …" and `hint` says what to do. MillraceErrors pass through unchanged.
 */
export async function wrapKafka<T>(
  code: ErrorCode,
  action: string,
  hint: string,
  operation: () => Promise<T>,
): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    throw toMillraceError(code, action, hint, error);
  }
}

/** Builds the MillraceError for a failed library call (see {@link wrapKafka}). */
export function toMillraceError(
  code: ErrorCode,
  action: string,
  hint: string,
  error: unknown,
): MillraceError {
  if (isMillraceError(error)) return error;
  const names = kafkaErrorNames(error);
  const reason = names.length > 0 ? names.join(', ') : error instanceof Error ? error.message : String(error);
  return new MillraceError(code, `could not ${action} (${reason}): ${hint}`, {
    cause: error,
    details: names.length > 0 ? { kafkaErrors: names } : undefined,
  });
}

/** Guards an instance against use after close(): `check()` throws MR_KAFKA_CLOSED once `closed` is set. */
export class CloseGuard {
  #closed = false;
  readonly #what: string;

  constructor(what: string) {
    this.#what = what;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Marks closed; returns false when it already was (so close() runs its body once). */
  markClosed(): boolean {
    if (this.#closed) return false;
    this.#closed = true;
    return true;
  }

  check(): void {
    if (this.#closed) {
      throw new MillraceError(
        'MR_KAFKA_CLOSED',
        `the ${this.#what} was used after close(): create a new one from the Kafka client`,
      );
    }
  }
}
