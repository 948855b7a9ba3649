import { MillraceError } from '../../../src/index.ts';

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/**
 * Converts a decimal amount to integer minor units (cents) exactly, without passing through a float.
 * Accepts the decimal text of a JSON number (see {@link parseEventJson}, which keeps money fields as their
 * source text) or a decimal string. More than 2 fractional digits, exponents or non-numbers are refused
 * with `MR_EVENT_INVALID`, so the event is dead-lettered with the reason.
 *
 * @example
 * ```ts
 * toMinorUnits('12.30', 'order.payableAmount'); // 1230
 * toMinorUnits('0.1', 'order.discount'); // 10
 * ```
 */
export function toMinorUnits(amount: unknown, field: string): number {
  const text = typeof amount === 'number' ? String(amount) : amount;
  if (typeof text !== 'string') {
    throw invalid(`${field} must be a decimal number (e.g. 12.30), got ${typeof amount}`);
  }
  const m = DECIMAL.exec(text.trim());
  if (m === null) {
    throw invalid(`${field} must be a plain decimal number with at most 2 fractional digits, got "${text}"`);
  }
  const [, sign, whole = '0', frac = ''] = m;
  if (frac.length > 2) {
    throw invalid(
      `${field} has ${frac.length} fractional digits ("${text}"): amounts are money with at most 2 (cents); round it at the producer`,
    );
  }
  const minor = Number(whole) * 100 + Number(frac.padEnd(2, '0'));
  if (!Number.isSafeInteger(minor)) throw invalid(`${field} is too large ("${text}")`);
  return sign === '-' ? -minor : minor;
}

function invalid(message: string): MillraceError {
  return new MillraceError('MR_EVENT_INVALID', message);
}
