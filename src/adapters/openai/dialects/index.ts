import type { Dialect } from '../dialect';
import type { DialectName } from '../../../config/choices';
import { bifrostDialect } from './bifrost';
import { falDialect } from './fal';
import { geminiDialect } from './gemini';
import { jsonDialect } from './json';
import { openaiDialect } from './openai';
import { openrouterDialect } from './openrouter';

export { DIALECT_NAMES, type DialectName } from '../../../config/choices';

/**
 * Every dialect, by its configured name (config/choices.ts): a new dialect is one file, its name there and a line
 * here. Everything said about a provider (what it speaks, its hosts, its key variable, its controls and operations)
 * comes from its file.
 */
export const DIALECTS = {
  openai: openaiDialect,
  json: jsonDialect,
  openrouter: openrouterDialect,
  bifrost: bifrostDialect,
  fal: falDialect,
  gemini: geminiDialect,
} as const satisfies Record<DialectName, Dialect>;

/** The dialect a base URL speaks when the configuration names none: the one whose hosts hold its host, else `openai`. */
export function dialectForBaseUrl(baseURL: string | undefined): DialectName {
  if (baseURL === undefined) return 'openai';
  const host = new URL(baseURL).hostname.toLowerCase();
  const owns = (dialect: Dialect) => (dialect.hosts ?? []).some((name) => host === name || host.endsWith(`.${name}`));
  return (Object.keys(DIALECTS) as DialectName[]).find((name) => owns(DIALECTS[name])) ?? 'openai';
}
