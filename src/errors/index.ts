export { MillraceError, isMillraceError, type MillraceErrorOptions } from './millrace-error.ts';
export { ERROR_CODES, type ErrorCode } from './codes.ts';
