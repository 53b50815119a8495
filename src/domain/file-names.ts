/**
 * File names derived from provider ids. Ids are opaque (LiteLLM's are base64 with `+ / =`, Bifrost's
 * carry `:`), so the name must be portable to Linux, macOS and Windows, and two ids must never share
 * a name, even on a case-insensitive filesystem.
 */

/** Characters that are safe in a file name everywhere and carry no case: such ids are used as they are. */
const PLAIN_ID = /^[a-z0-9_-]{1,100}$/;
const MAX_STEM_CHARS = 100;

/**
 * A file stem for an id: the id itself when it is plain lower-case ASCII; otherwise its readable
 * characters followed by a hash of the whole id, which keeps distinct ids apart (`video_aB+c/=` and
 * `video_Ab_c__` differ in their hash, and so does case).
 */
export function fileStemForId(id: string): string {
  if (PLAIN_ID.test(id)) return id;
  const readable = id
    .replace(/[^A-Za-z0-9_-]+/g, '_')
    .replace(/^[_-]+|[_-]+$/g, '')
    .slice(0, MAX_STEM_CHARS);
  return `${readable || 'video'}-${fnv1a64(id)}`;
}

/** 64-bit FNV-1a of the UTF-16 code units, as 16 hex digits: stable, pure, and spread well enough for names. */
export function fnv1a64(text: string): string {
  let hash = 0xcbf29ce484222325n;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= BigInt(text.charCodeAt(i));
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return hash.toString(16).padStart(16, '0');
}
