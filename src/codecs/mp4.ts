import { ascii, concatBytes, latin1, u32, u32be, u64 } from './bytes';

/**
 * ISO-BMFF (MP4) boxes, both ways: the writers the simulator's muxer and the test fixtures build files
 * with, and the header reader the verifier walks a download with. A box is a 32-bit size and a
 * four-character type, then its payload; size 1 means a 64-bit size follows, size 0 "to the end".
 */

/** A box with a 32-bit size (or, over 4 GiB, a 64-bit one). */
export function box(type: string, ...payload: Uint8Array[]): Uint8Array {
  const body = concatBytes(payload);
  if (body.length + 8 <= 0xffffffff) return concatBytes([u32(body.length + 8), latin1(type), body]);
  return concatBytes([u32(1), latin1(type), u64(body.length + 16), body]);
}

/** A full box: a box whose payload starts with a version byte and 24 bits of flags. */
export function fullBox(type: string, version: number, flags: number, ...payload: Uint8Array[]): Uint8Array {
  return box(type, Uint8Array.of(version, (flags >> 16) & 255, (flags >> 8) & 255, flags & 255), ...payload);
}

/** The header of a box, read from its first 8 bytes (16 when `size` is 1). */
export interface BoxHeader {
  type: string;
  /** The box's size on its own terms: a byte count, 1 (a 64-bit size follows) or 0 (to the end of the file). */
  size: number;
}

/** The size and type of the box whose first 8 bytes these are; `undefined` when the type is not four printable characters. */
export function readBoxHeader(header: Uint8Array): BoxHeader | undefined {
  for (let k = 4; k < 8; k++) {
    const c = header[k] ?? 0;
    if (c < 0x20 || c > 0x7e) return undefined;
  }
  return { type: ascii(header, 4, 8), size: u32be(header, 0) };
}

/** The 64-bit size in bytes 8 to 16 of a box header whose 32-bit size is 1, or `undefined` past 2^53. */
export function readLargeSize(header: Uint8Array): number | undefined {
  const high = u32be(header, 8);
  if (high > 0x1fffff) return undefined;
  return high * 2 ** 32 + u32be(header, 12);
}
