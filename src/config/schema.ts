import { z } from 'zod';

/**
 * The pieces the configuration's one table (variables.ts, flags.ts) is made of: a schema per kind of
 * value, each failing with the one sentence a bad value gets. A schema receives the value trimmed and
 * non-empty (an empty variable is an unset one).
 */

/** Where a setting is described: each group is a part of the README's table and of `--help`. */
export type Group = 'provider' | 'files' | 'costs' | 'behaviour' | 'limits' | 'storage' | 'http' | 'team' | 'simulator' | 'host';

export interface Setting<T> {
  /** What it sets, in one line (`--help`, `server.json`). */
  summary: string;
  /** The README's description (markdown); the summary when absent. */
  doc?: string;
  /** Parses the value; its issue's message is the sentence a bad value gets. */
  schema: z.ZodType<T>;
  /**
   * The value used when none is given, written as a person would write it: it is parsed by `schema` like a given
   * value, and shown as it is. The one place a default is written.
   */
  default?: string;
  /** How the default is worked out when it depends on the machine (shown only; the code that works it out reads no table). */
  computedDefault?: string;
}

export interface Variable<T = unknown> extends Setting<T> {
  name: string;
  group: Group;
  /** A secret: redacted from every message, log and file name (its value, never its name). */
  secret?: boolean;
  /** Read by another program (the AWS SDK, the operating system): documented here, parsed there. */
  readBy?: 'aws-sdk' | 'host';
  /** The variable that took its place, for one that is kept only so old configurations still work. */
  replacedBy?: string;
  /** Listed in `server.json` for the MCP registry, with its choices. */
  registry?: { choices?: readonly string[] };
}

export interface Flag<T = unknown> extends Setting<T> {
  /** `--port`. */
  name: string;
  /** How its value is shown in usage (`N`, `NAME[:PORT]`); undefined for a switch. */
  value?: string;
  /** May be given more than once (its values are a list). */
  multiple?: boolean;
}

/** The default as people read it: the value itself, or how the machine decides it. */
export function shownDefault(setting: Pick<Setting<unknown>, 'default' | 'computedDefault'>): string | undefined {
  return setting.default ?? setting.computedDefault;
}

/** `text` with the setting's default after it, unless the text already speaks of one. */
export function withDefault(text: string, setting: Pick<Setting<unknown>, 'default' | 'computedDefault'>, code = (s: string) => s): string {
  const shown = shownDefault(setting);
  if (shown === undefined || /default/i.test(text)) return text;
  return `${text} (default ${shown.includes(' ') ? shown : code(shown)})`;
}

const quoted = (input: unknown) => JSON.stringify(String(input).slice(0, 100));

/** Any text. */
export const text = () => z.string();

/** One of `values`, case-insensitive. */
export function oneOf<const T extends string>(values: readonly T[]) {
  return z
    .string()
    .transform((value) => value.toLowerCase())
    .pipe(z.enum(values as [T, ...T[]], { error: (issue) => `${quoted(issue.input)} is not one of ${values.join(', ')}.` }));
}

/** A whole number of `unit` from `min` to `max`. */
export function wholeNumber(unit: string, min: number, max: number) {
  const sentence = (input: unknown) => `${quoted(input)} is not a whole number of ${unit} from ${min} to ${max}.`;
  return z
    .string()
    .regex(/^\d+$/, { error: (issue) => sentence(issue.input) })
    .transform(Number)
    .pipe(
      z
        .number()
        .min(min, { error: (issue) => sentence(issue.input) })
        .max(max, { error: (issue) => sentence(issue.input) }),
    );
}

/** A whole number of MiB, as bytes. */
export function mebibytes(min: number, max: number) {
  return wholeNumber('MiB', min, max).transform((mib) => mib * 1024 * 1024);
}

/** An amount of US dollars above 0 (`5`, `2.50`, `$3`). */
export function dollars() {
  const sentence = (input: unknown) => `${quoted(input)} is not an amount of US dollars above 0, such as 5 or 2.50.`;
  return z
    .string()
    .regex(/^\$?\d+(\.\d+)?$/, { error: (issue) => sentence(issue.input) })
    .transform((value) => Number(value.replace(/^\$/, '')))
    .pipe(
      z
        .number()
        .gt(0, { error: (issue) => sentence(issue.input) })
        .max(1_000_000, { error: (issue) => sentence(issue.input) }),
    );
}

/** An http(s) URL. */
export function httpUrl(example: string) {
  return z.url({ protocol: /^https?$/, error: (issue) => `${quoted(issue.input)} is not an http(s) URL; use one such as ${example}.` });
}

/** A model id: 1 to 200 printable characters, no spaces. */
export function modelId() {
  return (
    z
      .string()
      .max(200, { error: (issue) => `${quoted(issue.input)} is not a model id (no spaces, at most 200 characters).` })
      // eslint-disable-next-line no-control-regex -- control characters are what is refused
      .regex(/^[^\s\u0000-\u001f\u007f]+$/, {
        error: (issue) => `${quoted(issue.input)} is not a model id (no spaces, at most 200 characters).`,
      })
  );
}

/** A comma-separated list (empty items dropped, unless `keepEmpty`, for lists matched by position). */
export function commaList(keepEmpty = false) {
  return z.string().transform((value) =>
    value
      .split(',')
      .map((item) => item.trim())
      .filter((item) => keepEmpty || item.length > 0),
  );
}

/** A JSON object of string values (numbers and booleans taken as their text), keys valid as header names. */
export function stringMap(example: string) {
  const shape = `must be a JSON object whose values are strings, e.g. ${example}`;
  return z.string().transform((value, context) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch {
      context.addIssue({ code: 'custom', message: `is not valid JSON; it ${shape}.` });
      return z.NEVER;
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      context.addIssue({ code: 'custom', message: `is not a JSON object; it ${shape}.` });
      return z.NEVER;
    }
    const out: Record<string, string> = {};
    for (const [key, item] of Object.entries(parsed as Record<string, unknown>)) {
      if (typeof item !== 'string' && typeof item !== 'number' && typeof item !== 'boolean') {
        context.addIssue({ code: 'custom', message: `has a value for "${key}" that is not a string; it ${shape}.` });
        return z.NEVER;
      }
      if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(key)) {
        context.addIssue({ code: 'custom', message: `has a key "${key.slice(0, 60)}" that is not a valid name; it ${shape}.` });
        return z.NEVER;
      }
      out[key] = String(item);
    }
    return out;
  });
}

/** `1`, `true`, `0`, `false`. */
export function onOff() {
  return oneOf(['1', '0', 'true', 'false']).transform((value) => value === '1' || value === 'true');
}

/** An absolute path (a file or folder the server reads or keeps its data in). */
export function absolutePath() {
  return z
    .string()
    .refine((value) => !value.includes('\0') && (value.startsWith('/') || /^[A-Za-z]:[\\/]/.test(value) || value.startsWith('\\\\')), {
      error: (issue) => `${quoted(issue.input)} is not an absolute path; give the full path, such as /srv/sora2-mcp/users.json.`,
    });
}

/** A PostgreSQL connection URL. */
export function postgresUrl() {
  return z.string().regex(/^postgres(ql)?:\/\/\S+$/, {
    error: 'is not a PostgreSQL URL; use one such as postgres://sora2:password@db.internal:5432/sora2.',
  });
}
