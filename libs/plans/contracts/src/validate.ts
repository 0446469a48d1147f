import type { ErrorObject, ValidateFunction } from 'ajv';
import { cloudEventSchema, contractSchemas } from './schemas';

export type ContractValidation = { readonly valid: true; readonly errors: readonly [] } | { readonly valid: false; readonly errors: readonly string[] };

type Validators = { readonly byType: ReadonlyMap<string, ValidateFunction>; readonly envelope: ValidateFunction };

let compiled: Validators | undefined;

/**
 * Compiled once, on first use. ajv is required lazily: every service imports this library for
 * its topic names, and none of them should pay for (or, while ajv is a dev dependency, need)
 * a JSON Schema compiler unless it validates.
 */
const validators = (): Validators => {
  if (compiled) return compiled;
  const { Ajv2020 } = require('ajv/dist/2020') as typeof import('ajv/dist/2020');
  const addFormats = (require('ajv-formats') as typeof import('ajv-formats')).default;
  const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
  addFormats(ajv, ['uuid', 'date', 'date-time']);
  compiled = {
    byType: new Map(Object.entries(contractSchemas).map(([type, schema]) => [type, ajv.compile(schema)])),
    envelope: ajv.compile(cloudEventSchema),
  };
  return compiled;
};

const describe = (error: ErrorObject, prefix: string): string => {
  const at = `${prefix}${error.instancePath}` || '/';
  const p = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties':
      return `${at}: unexpected property "${String(p.additionalProperty)}"`;
    case 'required':
      return `${at}: missing property "${String(p.missingProperty)}"`;
    case 'enum':
      return `${at}: must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'const':
      return `${at}: must be ${JSON.stringify(p.allowedValue)}`;
    case 'propertyNames':
      return `${at}: attribute name "${String(p.propertyName)}" is not lowercase alphanumeric`;
    default: {
      const conditional = /\/(then|else)\//.test(error.schemaPath) ? ` (rule ${error.schemaPath.replace(/\/[^/]+$/, '')})` : '';
      return `${at}: ${error.message ?? error.keyword}${conditional}`;
    }
  }
};

const report = (errors: readonly string[]): ContractValidation =>
  errors.length === 0 ? { valid: true, errors: [] } : { valid: false, errors: [...new Set(errors)] };

const run = (validate: ValidateFunction, value: unknown, prefix: string): string[] =>
  validate(value)
    ? []
    : (validate.errors ?? [])
        // if/then/else and pattern-property wrappers repeat what the inner error already says
        .filter((e) => e.keyword !== 'if' && !(e.keyword === 'pattern' && e.propertyName !== undefined))
        .map((e) => describe(e, prefix));

/** Known CloudEvents types of the platform (plans and reporting). */
export const contractTypes = (): string[] => Object.keys(contractSchemas);

/**
 * Checks a contract's `data` against the schema of its `type`. Errors read
 * `data/deadline/kind: must be one of "date", …` or `data: unexpected property "group"`.
 */
export const validateContract = (event: { type: string; data: unknown }): ContractValidation => {
  const validate = validators().byType.get(event.type);
  if (!validate) return report([`type: unknown event type "${event.type}" (known: ${contractTypes().join(', ')})`]);
  return report(run(validate, event.data, 'data'));
};

/** The service that publishes each aggregate's events, named in `source` (`/mandate/<cityid>/<service>`). */
const PUBLISHER_OF: Readonly<Record<string, string>> = { plan: 'plans', task: 'plans', report: 'reporting' };

/**
 * Checks a whole CloudEvent: the envelope, the `data` of its type, and what a schema cannot
 * say: `source` names the same city as `cityid` and the service that publishes the type,
 * and `subject` is a stream of the aggregate the type is about (`vn.mandate.task.*` is about
 * `task-<uuid>`).
 */
export const validateCloudEvent = (event: unknown): ContractValidation => {
  const errors = run(validators().envelope, event, '');
  if (typeof event !== 'object' || event === null) return report(errors.length ? errors : ['/: must be an object']);
  const e = event as Record<string, unknown>;
  let publisher = 'plans';
  if (typeof e.type === 'string') {
    const data = validateContract({ type: e.type, data: e.data });
    errors.push(...data.errors.map((m) => `/${m}`));
    const aggregate = /^vn\.mandate\.([a-z][a-z-]*)\./.exec(e.type)?.[1];
    if (aggregate && typeof e.subject === 'string' && !e.subject.startsWith(`${aggregate}-`)) {
      errors.push(`/subject: "${e.subject}" is not a ${aggregate} stream, as type ${e.type} requires`);
    }
    publisher = (aggregate && PUBLISHER_OF[aggregate]) || publisher;
  }
  const expected = typeof e.cityid === 'string' ? `/mandate/${e.cityid}/${publisher}` : null;
  if (expected && typeof e.source === 'string' && e.source !== expected) {
    const city = /^\/mandate\/([^/]*)\//.exec(e.source)?.[1];
    const wrong = city === e.cityid ? `does not name the service that publishes ${String(e.type)}` : `does not name city "${e.cityid}"`;
    errors.push(`/source: "${e.source}" ${wrong} (expected ${expected})`);
  }
  return report(errors);
};
