import type { z } from 'zod';

/** At most this many problems are named at once: the first ones are what the caller fixes first. */
const MAX_ISSUES = 4;

/**
 * The sentence for arguments a tool's schema refused, in the same voice as every other error: each
 * field named with what was wrong and how to fix it, and the stable code. (The MCP SDK's own text,
 * "MCP error -32602: Input validation error: … expected string, received undefined", says neither.)
 */
export function describeInvalidArguments(error: z.ZodError, schema: z.ZodObject): string {
  const said = error.issues.slice(0, MAX_ISSUES).map((issue) => sentence(issue, schema));
  const more = error.issues.length > MAX_ISSUES ? ` (and ${error.issues.length - MAX_ISSUES} more)` : '';
  return `${said.join(' ')}${more} Nothing was sent. (code: invalid_input)`;
}

function sentence(issue: z.core.$ZodIssue, schema: z.ZodObject): string {
  const field = typeof issue.path[0] === 'string' ? issue.path[0] : undefined;
  const where = issue.path.map(String).join('.');
  const end = (text: string) => (/[.!?]\)?$/.test(text) ? text : `${text}.`);
  if (issue.code === 'invalid_type' && field !== undefined) {
    const received = /received (\w+)/.exec(issue.message)?.[1];
    if (received === 'undefined') return end(`${field} is required: ${firstSentence(schema, field) ?? `pass ${issue.expected}`}`);
    return end(`${where} must be ${article(issue.expected)}, not ${article(received ?? 'something else')}${hintFor(schema, field)}`);
  }
  // Messages the schemas write themselves already name the field and the fix.
  if (field !== undefined && (issue.message.startsWith(field) || issue.message.startsWith(where))) return end(issue.message);
  if (issue.code === 'unrecognized_keys') return end(issue.message);
  return end(`${where || 'the arguments'}: ${issue.message}${field ? hintFor(schema, field) : ''}`);
}

function description(schema: z.ZodObject, field: string): string | undefined {
  const shape = schema.shape as Record<string, z.ZodType | undefined>;
  // `.optional()`, `.default()` and the like wrap the described schema; its description stays inside.
  let current: z.ZodType | undefined = shape[field];
  for (let depth = 0; current && depth < 4; depth += 1) {
    if (current.description) return current.description;
    current = (current.def as { innerType?: z.ZodType }).innerType;
  }
  return undefined;
}

function firstSentence(schema: z.ZodObject, field: string): string | undefined {
  const text = description(schema, field);
  if (!text) return undefined;
  const stop = text.search(/\.(\s|$)/);
  const first = stop < 0 ? text : text.slice(0, stop);
  return first.length > 200 ? `${first.slice(0, 200)}…` : first;
}

function hintFor(schema: z.ZodObject, field: string): string {
  const first = firstSentence(schema, field);
  return first ? ` (${field}: ${first})` : '';
}

function article(type: string): string {
  if (type === 'undefined' || type === 'null') return type;
  return /^[aeiou]/i.test(type) ? `an ${type}` : `a ${type}`;
}
