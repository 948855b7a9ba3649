import { Ajv, type AnySchema, type ErrorObject } from 'ajv';
import { MillraceError } from '../errors/index.ts';
import { jsonSerde } from './json-serde.ts';
import type { Serde } from './serde.ts';

/** Options of {@link jsonSchemaSerde}. */
export interface JsonSchemaSerdeOptions {
  /** Also validate on serialize (default true): a bug upstream then fails where it happens. */
  validateOnSerialize?: boolean;
}

/**
 * JSON validated against a JSON schema (ajv) on deserialize (and, by default, on serialize). A record that
 * does not match throws `MR_SERDE` with the failing paths, so the runtime can send it to the DLQ.
 *
 * @example
 * ```ts
 * const orders = jsonSchemaSerde<Order>({ type: 'object', required: ['id'], properties: { id: { type: 'string' } } });
 * ```
 */
export function jsonSchemaSerde<T>(schema: AnySchema, options: JsonSchemaSerdeOptions = {}): Serde<T> {
  const validate = new Ajv({ allErrors: true, strict: false }).compile<T>(schema);
  const json = jsonSerde<unknown>();
  const check = (value: unknown, direction: string): T => {
    if (!validate(value)) {
      throw new MillraceError(
        'MR_SERDE',
        `${direction}: the value does not match its JSON schema (${describeErrors(validate.errors)}): fix the producer or the schema`,
        { details: { errors: validate.errors } },
      );
    }
    return value as T;
  };
  const validateOnSerialize = options.validateOnSerialize ?? true;
  return {
    serialize(value) {
      return json.serialize(validateOnSerialize ? check(value, 'serialize') : value);
    },
    deserialize(bytes) {
      return check(json.deserialize(bytes), 'deserialize');
    },
  };
}

function describeErrors(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`).join('; ');
}
