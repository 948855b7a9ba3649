import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { MillraceError } from '../../errors/index.ts';
import { TOPOLOGY_SPEC_SCHEMA } from './schema.ts';

let full: ValidateFunction | undefined;
const perOp = new Map<string, ValidateFunction>();
const stepPath = /^(.*\/steps\/\d+)(\/|$)/;

function validators(): ValidateFunction {
  if (full === undefined) {
    const ajv = new Ajv({ allErrors: true, strict: false });
    full = ajv.compile(TOPOLOGY_SPEC_SCHEMA);
    for (const branch of TOPOLOGY_SPEC_SCHEMA.definitions.step.oneOf) {
      perOp.set(
        branch.required[0] as string,
        ajv.compile({ definitions: TOPOLOGY_SPEC_SCHEMA.definitions, ...branch }),
      );
    }
  }
  return full;
}

/**
 * Validates a parsed spec against the JSON schema. Throws `MR_TOPOLOGY_SPEC_INVALID` listing each problem
 * as `<path>: <what is wrong>`. A step is checked against the schema of its own operation, so an error
 * names the field that is wrong rather than every operation it does not match.
 */
export function validateSpec(spec: unknown): void {
  const validate = validators();
  if (validate(spec)) return;
  const problems = new Set<string>();
  for (const err of validate.errors ?? []) {
    const m = stepPath.exec(err.instancePath);
    if (m === null) {
      problems.add(describe(err));
      continue;
    }
    for (const p of stepProblems(spec, m[1] as string)) problems.add(p);
  }
  const list = [...problems];
  throw new MillraceError(
    'MR_TOPOLOGY_SPEC_INVALID',
    `the topology spec is invalid:\n${list.map((p) => `  - ${p}`).join('\n')}\nFix these fields (topology/schema/topology.schema.json describes the format).`,
    { details: { problems: list } },
  );
}

function stepProblems(spec: unknown, path: string): string[] {
  const step = path
    .split('/')
    .slice(1)
    .reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], spec);
  const ops = [...perOp.keys()];
  if (typeof step !== 'object' || step === null || Object.keys(step).length !== 1) {
    return [`${path}: a step is an object with exactly one operation (one of ${ops.join(', ')})`];
  }
  const op = Object.keys(step)[0] as string;
  const validate = perOp.get(op);
  if (validate === undefined) return [`${path}: unknown operation "${op}": use one of ${ops.join(', ')}`];
  if (validate(step)) return [];
  return (validate.errors ?? []).flatMap((e) => {
    const nested = stepPath.exec(e.instancePath);
    return nested === null ? [describe(e, path)] : stepProblems(spec, path + nested[1]);
  });
}

function describe(err: ErrorObject, prefix = ''): string {
  const at = `${prefix}${err.instancePath}` || '/';
  if (err.keyword === 'additionalProperties') {
    return `${at}: unknown field "${String(err.params.additionalProperty)}": remove it or check its spelling`;
  }
  if (err.keyword === 'required')
    return `${at}: missing required field "${String(err.params.missingProperty)}"`;
  if (err.keyword === 'enum')
    return `${at}: must be one of ${(err.params.allowedValues as unknown[]).join(', ')}`;
  return `${at}: ${err.message ?? 'is invalid'}`;
}
