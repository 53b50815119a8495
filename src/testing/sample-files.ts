import { deflateSync } from 'node:zlib';
import { u32 as bigEndian32 } from '../codecs/bytes';
import { box as mp4Box } from '../codecs/mp4';

/**
 * Small, hand-built media files for tests: structurally valid for the verifier, and (PNG, JPEG,
 * lossless WebP) decodable by real decoders too.
 */

function u32(value: number): Buffer {
  return asBuffer(bigEndian32(value));
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
}

/** An ISO-BMFF box with a 32-bit size (the media library's writer, which the simulator's muxer uses too). */
export function box(type: string, payload: Buffer = Buffer.alloc(0)): Buffer {
  return asBuffer(mp4Box(type, payload));
}

/** An `ftyp` box: major brand, minor version 0x200, compatible brands. */
export function ftyp(majorBrand = 'isom'): Buffer {
  return box('ftyp', Buffer.concat([Buffer.from(majorBrand, 'latin1'), u32(0x200), Buffer.from('isomiso2mp41', 'latin1')]));
}

/** A `moov` box holding an `mvhd` (version 0, 1000 timescale, 1 s, identity matrix). */
export function moov(): Buffer {
  const mvhd = Buffer.alloc(100);
  mvhd.writeUInt32BE(1000, 12); // timescale
  mvhd.writeUInt32BE(1000, 16); // duration
  mvhd.writeUInt32BE(0x00010000, 20); // rate 1.0
  mvhd.writeUInt16BE(0x0100, 24); // volume 1.0
  [0x00010000, 0, 0, 0, 0x00010000, 0, 0, 0, 0x40000000].forEach((v, i) => mvhd.writeUInt32BE(v, 36 + 4 * i));
  mvhd.writeUInt32BE(2, 96); // next track id
  return box('moov', box('mvhd', mvhd));
}

const MP4_DEFAULT_SIZE = 200;

function mdatPayload(total: number, headerBytes: number): Buffer {
  const payload = Buffer.alloc(total - headerBytes);
  for (let i = 0; i < payload.length; i++) payload[i] = (i * 31 + 7) & 0xff;
  return payload;
}

/** Smallest `mp4()` possible. */
export const MP4_MIN_SIZE = ftyp().length + moov().length + 8;

/** A minimal valid ISO-BMFF file: ftyp, moov, mdat padded to exactly `size` bytes. */
export function mp4(size = MP4_DEFAULT_SIZE, majorBrand = 'isom'): Buffer {
  const head = Buffer.concat([ftyp(majorBrand), moov()]);
  if (size < head.length + 8) throw new RangeError(`an mp4() fixture needs at least ${head.length + 8} bytes`);
  return Buffer.concat([head, box('mdat', mdatPayload(size - head.length, 8))]);
}

/** Like `mp4()`, but the mdat box uses size 1 and a 64-bit largesize. */
export function largeMp4Header(size = MP4_DEFAULT_SIZE): Buffer {
  const head = Buffer.concat([ftyp(), moov()]);
  if (size < head.length + 16) throw new RangeError(`a largeMp4Header() fixture needs at least ${head.length + 16} bytes`);
  const mdatSize = size - head.length;
  const header = Buffer.alloc(16);
  header.writeUInt32BE(1, 0);
  header.write('mdat', 4, 'latin1');
  header.writeBigUInt64BE(BigInt(mdatSize), 8);
  return Buffer.concat([head, header, mdatPayload(mdatSize, 16)]);
}

/** Like `mp4()`, but the last box (mdat) has size 0: "extends to the end of the file". */
export function mp4WithOpenEndedMdat(size = MP4_DEFAULT_SIZE): Buffer {
  const file = mp4(size);
  file.writeUInt32BE(0, ftyp().length + moov().length);
  return file;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const b of bytes) crc = (CRC_TABLE[(crc ^ b) & 0xff] ?? 0) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const typed = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  return Buffer.concat([u32(data.length), typed, u32(crc32(typed))]);
}

/** A real, decodable 8-bit greyscale PNG. */
export function png(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // greyscale
  const rows = Buffer.alloc((width + 1) * height); // filter byte 0, then the row
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) rows[y * (width + 1) + 1 + x] = (x * 255) / Math.max(1, width - 1);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(rows)),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

function segment(marker: number, payload: Buffer): Buffer {
  const header = Buffer.from([0xff, marker, 0, 0]);
  header.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([header, payload]);
}

/**
 * A real, decodable baseline greyscale JPEG (mid-grey): JFIF, one quantisation table, a frame
 * header, one-code Huffman tables, and every 8×8 block coded as "DC unchanged, end of block".
 */
export function jpeg(width: number, height: number): Buffer {
  const jfif = Buffer.from([0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00]);
  const dqt = Buffer.concat([Buffer.from([0x00]), Buffer.alloc(64, 1)]);
  const sof = Buffer.from([8, 0, 0, 0, 0, 1, 1, 0x11, 0]);
  sof.writeUInt16BE(height, 1);
  sof.writeUInt16BE(width, 3);
  const oneCodeTable = (classAndId: number, symbol: number) =>
    Buffer.concat([Buffer.from([classAndId, 1]), Buffer.alloc(15), Buffer.from([symbol])]);
  const dht = Buffer.concat([oneCodeTable(0x00, 0x00), oneCodeTable(0x10, 0x00)]);
  const sos = Buffer.from([1, 1, 0x00, 0, 63, 0]);
  const blocks = Math.ceil(width / 8) * Math.ceil(height / 8);
  const bits = 2 * blocks; // '0' (DC diff category 0) + '0' (EOB) per block
  const scan = Buffer.alloc(Math.ceil(bits / 8));
  const used = bits % 8;
  if (used > 0) scan[scan.length - 1] = 0xff >> used; // pad the last byte with 1 bits
  return Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    segment(0xe0, jfif),
    segment(0xdb, dqt),
    segment(0xc0, sof),
    segment(0xc4, dht),
    segment(0xda, sos),
    scan,
    Buffer.from([0xff, 0xd9]),
  ]);
}

/** Writes bits least-significant first, as VP8L does. */
class BitWriter {
  private readonly bytes: number[] = [];
  private bit = 0;

  write(value: number, count: number): void {
    for (let i = 0; i < count; i++) {
      const index = this.bit >> 3;
      if (index === this.bytes.length) this.bytes.push(0);
      if ((value >> i) & 1) this.bytes[index] = (this.bytes[index] ?? 0) | (1 << (this.bit & 7));
      this.bit += 1;
    }
  }

  toBuffer(): Buffer {
    return Buffer.from(this.bytes);
  }
}

/**
 * A real, decodable lossless (VP8L) WebP of one opaque colour: no transforms, no colour cache and
 * five one-symbol prefix codes, so the pixels take no bits at all.
 */
export function webp(width: number, height: number): Buffer {
  const bits = new BitWriter();
  bits.write(0x2f, 8); // signature
  bits.write(width - 1, 14);
  bits.write(height - 1, 14);
  bits.write(0, 1); // alpha not used
  bits.write(0, 3); // version 0
  bits.write(0, 1); // no transform
  bits.write(0, 1); // no colour cache
  bits.write(0, 1); // no meta prefix codes
  for (const symbol of [0x80, 0x40, 0xc0, 0xff, 0]) {
    // green, red, blue, alpha, distance: simple code, one 8-bit symbol
    bits.write(1, 1);
    bits.write(0, 1);
    bits.write(1, 1);
    bits.write(symbol, 8);
  }
  let data = bits.toBuffer();
  const chunkSize = data.length;
  if (data.length % 2 === 1) data = Buffer.concat([data, Buffer.alloc(1)]);
  const chunk = Buffer.concat([Buffer.from('VP8L', 'latin1'), Buffer.alloc(4), data]);
  chunk.writeUInt32LE(chunkSize, 4);
  const riff = Buffer.concat([Buffer.from('RIFF', 'latin1'), Buffer.alloc(4), Buffer.from('WEBP', 'latin1'), chunk]);
  riff.writeUInt32LE(riff.length - 8, 4);
  return riff;
}
