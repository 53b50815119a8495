import { parseArgs } from 'node:util';
import { z } from 'zod';
import { text, wholeNumber, type Flag } from './schema';

/**
 * Every command-line flag, in one table per command: its value, default and the sentence a bad value
 * gets. The commands parse their arguments through `parseFlags`; `--help` is made from these tables.
 */

/** An entry; like the variables', its schema is built when a command first parses its flags. */
function flag<T, M extends boolean = false, D extends string | undefined = undefined>(
  name: string,
  spec: Omit<Flag<T>, 'name' | 'multiple' | 'schema' | 'default'> & { multiple?: M; schema: () => z.ZodType<T>; default?: D },
): Flag<T> & { multiple?: M; default: D } {
  const { schema: build, ...rest } = spec;
  let built: z.ZodType<T> | undefined;
  return {
    name,
    ...(rest as typeof rest & { default: D }),
    get schema() {
      return (built ??= build());
    },
  };
}

const hostName = () =>
  z
    .string()
    .regex(/^[^\s/]+$/, { error: (issue) => `${JSON.stringify(issue.input)} is not a host name; use one such as mcp.example.com.` });

const portNumber = () =>
  z
    .string()
    .regex(/^\d{1,5}$/, { error: (issue) => notAPort(issue.input) })
    .transform(Number)
    .refine((value) => value <= 65535, { error: (issue) => notAPort(issue.input) });

function notAPort(input: unknown): string {
  return `${JSON.stringify(String(input))} is not a port number: use a whole number from 0 to 65535 (0 picks a free one).`;
}

const host = flag('--host', { value: 'H', summary: 'address to listen on', schema: () => text(), default: '127.0.0.1' });

export const SIMULATOR_FLAGS = {
  port: flag('--port', { value: 'N', summary: 'port to listen on (0 picks a free one)', schema: portNumber, default: '8787' }),
  host,
} as const;

export const HTTP_FLAGS = {
  port: flag('--port', { value: 'N', summary: 'port to listen on (required; 0 picks a free one)', schema: portNumber }),
  host,
  allowedHost: flag('--allowed-host', {
    value: 'NAME[:PORT]',
    summary: 'a host name clients use (behind a proxy), on any port or on that port only; loopback names are always allowed',
    schema: hostName,
    multiple: true,
  }),
  maxRequestBodies: flag('--max-request-bodies', {
    value: 'N',
    summary: 'request bodies read at once, at most (503 beyond)',
    schema: () => wholeNumber('request bodies', 1, 10_000),
    default: '8',
  }),
  noAuth: flag('--no-auth', { summary: 'no token (loopback only; for local tools that cannot send headers)', schema: () => z.boolean() }),
} as const;

type Table = Readonly<Record<string, Flag>>;
type Value<F> = F extends Flag<infer V> & { multiple?: infer M } ? (M extends true ? V[] : V) : never;
/** Each flag's value: always there for a flag with a default, else when given. */
type Parsed<T extends Table> = { [K in keyof T as T[K] extends { default: string } ? K : never]: Value<T[K]> } & {
  [K in keyof T as T[K] extends { default: string } ? never : K]?: Value<T[K]>;
};

export class FlagError extends Error {}

/** The flags `args` give, each parsed by its schema; a FlagError with the one sentence for anything else. */
export function parseFlags<T extends Table>(table: T, args: readonly string[]): Parsed<T> {
  const byName = new Map(Object.entries(table).map(([key, spec]) => [spec.name.slice(2), { key, spec }]));
  let values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  try {
    values = parseArgs({
      args: [...args],
      strict: true,
      allowPositionals: false,
      options: Object.fromEntries(
        [...byName].map(([name, { spec }]) => [
          name,
          { type: spec.value === undefined ? 'boolean' : 'string', multiple: spec.multiple ?? false },
        ]),
      ),
    }).values;
  } catch (error) {
    throw new FlagError(unparsable(error));
  }
  const out: Record<string, unknown> = {};
  for (const [name, given] of Object.entries(values)) {
    const entry = byName.get(name);
    if (!entry || given === undefined) continue;
    const parse = (value: string | boolean): unknown => {
      const result = entry.spec.schema.safeParse(value);
      if (result.success) return result.data;
      throw new FlagError(`${entry.spec.name} ${result.error.issues[0]?.message ?? 'is not valid.'}`);
    };
    out[entry.key] = Array.isArray(given) ? given.map(parse) : parse(given);
  }
  for (const [key, spec] of Object.entries(table)) {
    if (out[key] === undefined && spec.default !== undefined) out[key] = spec.schema.parse(spec.default);
  }
  return out as Parsed<T>;
}

/** Node's parseArgs says what was wrong in its message (its code says which kind); the option is quoted there. */
function unparsable(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const unknown = /Unknown option '([^']+)'/.exec(message)?.[1];
  if (unknown) return `unexpected argument "${unknown}".`;
  const missing = /Option '(--[\w-]+)[^']*' argument missing/.exec(message)?.[1];
  if (missing) return `${missing} needs a value.`;
  const positional = /Unexpected argument '([^']+)'/.exec(message)?.[1];
  if (positional) return `unexpected argument "${positional}".`;
  return message;
}
