/**
 * 64 bits of two FNV-1a hashes of `text`, in hex: a short, stable name or seed for a key (a file name, a colour), where
 * no adversary chooses the keys. Plain JavaScript, so nothing loads node:crypto at start-up for it.
 */
export function shortHash(text: string): string {
  let first = 0x811c9dc5;
  let second = 0x050c5d1f;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    first = Math.imul(first ^ code, 0x01000193);
    second = Math.imul(second ^ code, 0x01000193) ^ (first >>> 15);
  }
  return [first, second].map((part) => (part >>> 0).toString(16).padStart(8, '0')).join('');
}
