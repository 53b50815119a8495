/**
 * Reading and writing bytes in the big- and little-endian layouts media formats use, on plain
 * `Uint8Array`s: no Node globals, so the library runs wherever ECMAScript does.
 */

export function byteAt(bytes: Uint8Array, index: number): number {
  return bytes[index] ?? 0;
}

export function startsWith(bytes: Uint8Array, prefix: readonly number[], at = 0): boolean {
  if (bytes.length < at + prefix.length) return false;
  return prefix.every((value, i) => bytes[at + i] === value);
}

/** The bytes from `from` to `to` as ISO-8859-1 text (box types, RIFF tags, brands). */
export function ascii(bytes: Uint8Array, from: number, to: number): string {
  let text = '';
  for (let i = from; i < to && i < bytes.length; i++) text += String.fromCharCode(byteAt(bytes, i));
  return text;
}

export function u32be(bytes: Uint8Array, at: number): number {
  return ((byteAt(bytes, at) << 24) | (byteAt(bytes, at + 1) << 16) | (byteAt(bytes, at + 2) << 8) | byteAt(bytes, at + 3)) >>> 0;
}

export function u16be(bytes: Uint8Array, at: number): number {
  return (byteAt(bytes, at) << 8) | byteAt(bytes, at + 1);
}

export function u32le(bytes: Uint8Array, at: number): number {
  return ((byteAt(bytes, at + 3) << 24) | (byteAt(bytes, at + 2) << 16) | (byteAt(bytes, at + 1) << 8) | byteAt(bytes, at)) >>> 0;
}

export function u24le(bytes: Uint8Array, at: number): number {
  return (byteAt(bytes, at + 2) << 16) | (byteAt(bytes, at + 1) << 8) | byteAt(bytes, at);
}

export function u16le(bytes: Uint8Array, at: number): number {
  return (byteAt(bytes, at + 1) << 8) | byteAt(bytes, at);
}

/** `value` as 4 big-endian bytes. */
export function u32(value: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, value >>> 0);
  return out;
}

/** `value` as 2 big-endian bytes. */
export function u16(value: number): Uint8Array {
  return Uint8Array.of((value >> 8) & 0xff, value & 0xff);
}

/** `value` (below 2^53) as 8 big-endian bytes. */
export function u64(value: number): Uint8Array {
  const out = new Uint8Array(8);
  const view = new DataView(out.buffer);
  view.setUint32(0, Math.floor(value / 2 ** 32));
  view.setUint32(4, value >>> 0);
  return out;
}

/** Text as ISO-8859-1 bytes (one byte a character). */
export function latin1(text: string): Uint8Array {
  return Uint8Array.from(text, (char) => char.charCodeAt(0) & 0xff);
}

/** The parts, in order, as one array of bytes. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
