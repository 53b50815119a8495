import { invalidInput } from '../domain/errors';
import { isKnownFormat } from '../codecs/sniff';

/** How an agent handed us a reference image. Decided by syntax and by decoded bytes, never by character set. */
export type ReferenceSource =
  { kind: 'url'; url: string } | { kind: 'inline'; bytes: Uint8Array; origin: 'data URL' | 'base64' } | { kind: 'path'; path: string };

const SCHEME = /^([a-z][a-z0-9+.-]+):/i;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const BASE64URL = /^[A-Za-z0-9_-]+={0,2}$/;
/** Shorter strings are never taken as base64: no JPEG, PNG or WebP fits in 12 bytes. */
const MIN_BASE64_CHARS = 16;

/** Strictly decodes base64 (standard or URL-safe, padding optional); undefined when the text is not base64. */
export function decodeBase64(text: string): Uint8Array | undefined {
  const compact = text.replace(/\s+/g, '');
  if (compact.length === 0 || compact.length % 4 === 1) return undefined;
  const standard = BASE64.test(compact);
  if (!standard && !BASE64URL.test(compact)) return undefined;
  return base64Bytes(compact);
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const SEXTETS = new Map(
  [...ALPHABET]
    .map((char, index) => [char, index] as const)
    .concat([
      ['-', 62],
      ['_', 63],
    ]),
);

/** Base64 (either alphabet, validated by the caller) to bytes, in plain ECMAScript: the core has no Buffer. */
function base64Bytes(text: string): Uint8Array {
  const data = text.replace(/=+$/, '');
  const out = new Uint8Array(Math.floor((data.length * 3) / 4));
  let bits = 0;
  let value = 0;
  let index = 0;
  for (const char of data) {
    value = (value << 6) | SEXTETS.get(char)!;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[index++] = (value >> bits) & 0xff;
    }
  }
  return out.subarray(0, index);
}

/** Parses `data:` URLs, tolerating parameters (`;charset=utf-8`), upper-case `;BASE64` and whitespace. */
export function parseDataUrl(text: string, field = 'input_reference'): Uint8Array {
  const comma = text.indexOf(',');
  if (comma < 0) throw invalidInput(field, { rule: 'data_url_no_comma' });
  const params = text
    .slice('data:'.length, comma)
    .split(';')
    .map((part) => part.trim().toLowerCase());
  const mediaType = params[0] ?? '';
  if (mediaType !== '' && !mediaType.startsWith('image/')) {
    throw invalidInput(field, { rule: 'data_url_not_image', media_type: mediaType });
  }
  if (!params.slice(1).includes('base64')) {
    throw invalidInput(field, { rule: 'data_url_not_base64' });
  }
  const bytes = decodeBase64(decodeURIComponentSafe(text.slice(comma + 1)));
  if (!bytes || bytes.length === 0) throw invalidInput(field, { rule: 'data_url_bad_base64' });
  return bytes;
}

function decodeURIComponentSafe(text: string): string {
  if (!text.includes('%')) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * Classifies the text of `input_reference`. `sniff` tells whether decoded bytes carry an image
 * signature: raw base64 is only taken as such when it does, so an absolute path made of base64
 * characters stays a path (and is then confined to the roots like any other).
 */
export function classifyReference(input: string, field = 'input_reference'): ReferenceSource {
  const text = input.trim();
  if (text.length === 0) throw invalidInput(field, { rule: 'source_empty' });
  if (/^data:/i.test(text)) return { kind: 'inline', bytes: parseDataUrl(text, field), origin: 'data URL' };
  const scheme = SCHEME.exec(text)?.[1]?.toLowerCase();
  if (scheme === 'http' || scheme === 'https') return { kind: 'url', url: text };
  if (scheme !== undefined) {
    throw invalidInput(field, { rule: 'scheme_refused', scheme });
  }
  if (text.length >= MIN_BASE64_CHARS) {
    const bytes = decodeBase64(text);
    if (bytes && isKnownFormat(bytes)) return { kind: 'inline', bytes, origin: 'base64' };
  }
  return { kind: 'path', path: text };
}
