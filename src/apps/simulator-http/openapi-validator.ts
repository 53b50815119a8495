import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';

/**
 * Checks requests and responses against OpenAI's official `/videos` OpenAPI description (MIT), which
 * ships with the package: the simulator's HTTP face and the test suite's loopback provider both use it.
 * Loaded on first use; building the validators costs tens of milliseconds.
 */
export const SPEC_PATH = findSpec(__dirname);

/** The package's spec/ folder, from this module in src/ or build/, or from the single-file bundle. */
function findSpec(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'spec', 'openai-videos-openapi.yaml');
    if (existsSync(candidate) || path.dirname(dir) === dir) return candidate;
  }
}

interface Spec {
  paths: Record<string, Record<string, { parameters?: Parameter[]; requestBody?: { content: Record<string, { schema: unknown }> } }>>;
}
interface Parameter {
  name: string;
  in: 'query' | 'path';
  required?: boolean;
  schema: Record<string, unknown>;
}

let cached: { spec: Spec; ajv: Ajv2020 } | undefined;

function load(): { spec: Spec; ajv: Ajv2020 } {
  if (cached) return cached;
  // A small file read once, on first use, by the simulator's HTTP face only.
  const spec = parse(readFileSync(SPEC_PATH, 'utf8')) as Spec;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addFormat('unixtime', { type: 'number', validate: (value: number) => Number.isInteger(value) });
  ajv.addSchema(spec, 'spec');
  cached = { spec, ajv };
  return cached;
}

const compiled = new Map<string, ValidateFunction>();

/** A validator for a JSON pointer into the spec, compiled once (ajv caches by object identity, not by $ref). */
function validatorFor(ref: string): ValidateFunction {
  let validate = compiled.get(ref);
  if (!validate) {
    validate = load().ajv.compile({ $ref: ref });
    compiled.set(ref, validate);
  }
  return validate;
}

export function componentValidator(name: string): ValidateFunction {
  const { ajv } = load();
  const validate = ajv.getSchema(`spec#/components/schemas/${name}`);
  if (!validate) throw new Error(`no schema ${name} in the spec`);
  return validate;
}

function describeErrors(validate: ValidateFunction): string {
  return (validate.errors ?? [])
    .map((error) => {
      // Ajv's "must be equal to one of the allowed values" does not say which: the caller needs them to fix the call.
      const allowed = (error.params as { allowedValues?: unknown[] }).allowedValues;
      const values = Array.isArray(allowed) ? `: ${allowed.map((value) => JSON.stringify(value)).join(', ')}` : '';
      return `${error.instancePath || '(root)'} ${error.message}${values}`;
    })
    .join('; ');
}

/** Returns the violations of a request against the spec operation at `specPath` (e.g. `/videos/{video_id}`). */
export function validateRequest(
  method: string,
  specPath: string,
  request: { query: URLSearchParams; pathParams: Record<string, string>; contentType?: string; body?: unknown },
): string[] {
  const { spec } = load();
  const operation = spec.paths[specPath]?.[method.toLowerCase()];
  if (!operation) return [`${method} ${specPath} is not in the spec`];
  const problems: string[] = [];
  const known = new Set<string>();
  for (const parameter of operation.parameters ?? []) {
    known.add(`${parameter.in}:${parameter.name}`);
    const raw = parameter.in === 'query' ? request.query.get(parameter.name) : request.pathParams[parameter.name];
    if (raw === null || raw === undefined) {
      if (parameter.required) problems.push(`missing ${parameter.in} parameter ${parameter.name}`);
      continue;
    }
    const value = parameter.schema.type === 'integer' ? Number(raw) : raw;
    const validate = validatorFor(
      `spec#/paths/${escapePointer(specPath)}/${method.toLowerCase()}/parameters/${operation.parameters!.indexOf(parameter)}/schema`,
    );
    if (!validate(value)) problems.push(`parameter ${parameter.name}: ${describeErrors(validate)}`);
  }
  for (const name of request.query.keys()) {
    if (!known.has(`query:${name}`)) problems.push(`unknown query parameter ${name}`);
  }
  if (operation.requestBody) {
    const mediaType = (request.contentType ?? '').split(';')[0]!.trim();
    const content = operation.requestBody.content[mediaType];
    if (!content) {
      problems.push(`content type ${mediaType || '(none)'} is not accepted (${Object.keys(operation.requestBody.content).join(', ')})`);
    } else {
      const validate = validatorFor(
        `spec#/paths/${escapePointer(specPath)}/${method.toLowerCase()}/requestBody/content/${escapePointer(mediaType)}/schema`,
      );
      if (!validate(request.body)) problems.push(`body: ${describeErrors(validate)}`);
      const schema = content.schema as { $ref?: string; properties?: Record<string, unknown> };
      const allowed = Object.keys((schema.$ref ? resolveRef(spec, schema.$ref) : schema)?.properties ?? {});
      for (const key of Object.keys((request.body as object) ?? {})) {
        if (!allowed.includes(key.replace(/\[.*$/, ''))) problems.push(`body: unknown field ${key}`);
      }
    }
  }
  return problems;
}

export function validateResponse(schemaName: string, body: unknown): string[] {
  const validate = componentValidator(schemaName);
  return validate(body) ? [] : [`response ${schemaName}: ${describeErrors(validate)}`];
}

function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1').replace(/{/g, '%7B').replace(/}/g, '%7D');
}

function resolveRef(spec: Spec, ref: string): { properties?: Record<string, unknown> } | undefined {
  const parts = ref.replace(/^#\//, '').split('/');
  let node: unknown = spec;
  for (const part of parts) node = (node as Record<string, unknown>)?.[part];
  return node as { properties?: Record<string, unknown> } | undefined;
}
