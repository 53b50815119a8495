import type { Dialect } from '../dialect';
import type { DialectName } from '../../../config/choices';
import { bifrostDialect } from './bifrost';
import { jsonDialect } from './json';
import { openaiDialect } from './openai';
import { openrouterDialect } from './openrouter';

export { DIALECT_NAMES, type DialectName } from '../../../config/choices';

/** Every dialect, by its configured name (config/choices.ts): a new dialect is one file, its name there and a line here. */
export const DIALECTS = {
  openai: openaiDialect,
  json: jsonDialect,
  openrouter: openrouterDialect,
  bifrost: bifrostDialect,
} as const satisfies Record<DialectName, Dialect>;

/** Hosts whose API speaks a dialect of its own, chosen when no dialect is named. */
const BY_HOST: Record<string, DialectName> = { 'openrouter.ai': 'openrouter' };

/** The dialect a base URL speaks when the configuration names none. */
export function dialectForBaseUrl(baseURL: string | undefined): DialectName {
  if (baseURL === undefined) return 'openai';
  const host = new URL(baseURL).hostname.toLowerCase();
  const match = Object.entries(BY_HOST).find(([name]) => host === name || host.endsWith(`.${name}`));
  return match?.[1] ?? 'openai';
}
