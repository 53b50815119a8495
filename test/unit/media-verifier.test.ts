import { jpeg, largeMp4Header, mp4, mp4WithOpenEndedMdat, MP4_MIN_SIZE, png, webp, box, ftyp, moov } from '../support/sample-files';
import { sniffMedia, type SniffedType } from '../../src/codecs/sniff';
import { MediaVerifier, type MediaKind, type VerificationFailure } from '../../src/codecs/verifier';

/** A small deterministic PRNG (mulberry32), so "random" chunkings are reproducible. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function chunksOf(bytes: Uint8Array, sizes: () => number): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  for (let at = 0; at < bytes.length;) {
    const size = Math.max(1, sizes());
    chunks.push(bytes.subarray(at, at + size));
    at += size;
  }
  return chunks;
}

const whole = (bytes: Uint8Array) => [bytes];
const byteByByte = (bytes: Uint8Array) => chunksOf(bytes, () => 1);
const randomChunks = (seed: number) => (bytes: Uint8Array) => {
  const next = random(seed);
  return chunksOf(bytes, () => Math.floor(next() * 40));
};

/** Feeds the chunks (copied, so no chunk aliases the fixture) and returns the first failure, or finish()'s. */
function verify(expected: MediaKind, chunks: Uint8Array[]): { failure: VerificationFailure | undefined; verifier: MediaVerifier } {
  const verifier = new MediaVerifier(expected);
  for (const chunk of chunks) {
    const failure = verifier.push(Uint8Array.from(chunk));
    if (failure) return { failure, verifier };
  }
  return { failure: verifier.finish(), verifier };
}

const text = (s: string) => new TextEncoder().encode(s);

interface Case {
  name: string;
  kind: MediaKind;
  type: SniffedType;
  bytes: Uint8Array;
}

const OPEN_ENDED = mp4WithOpenEndedMdat(260);
const OPEN_ENDED_MDAT_PAYLOAD = 260 - MP4_MIN_SIZE;

const VALID: Case[] = [
  { name: 'MP4', kind: 'video', type: 'video/mp4', bytes: mp4() },
  { name: 'QuickTime', kind: 'video', type: 'video/quicktime', bytes: mp4(300, 'qt  ') },
  { name: 'MP4 with a 64-bit mdat size', kind: 'video', type: 'video/mp4', bytes: largeMp4Header(500) },
  { name: 'MP4 whose last box has size 0', kind: 'video', type: 'video/mp4', bytes: OPEN_ENDED },
  { name: 'PNG', kind: 'image', type: 'image/png', bytes: png(16, 9) },
  { name: 'JPEG', kind: 'image', type: 'image/jpeg', bytes: jpeg(33, 17) },
  { name: 'WebP', kind: 'image', type: 'image/webp', bytes: webp(20, 10) },
];

const CHUNKINGS: [string, (bytes: Uint8Array) => Uint8Array[]][] = [
  ['whole', whole],
  ['one byte at a time', byteByByte],
  ['in random chunks (seed 1)', randomChunks(1)],
  ['in random chunks (seed 2)', randomChunks(2)],
  ['in random chunks (seed 3)', randomChunks(3)],
];

describe('MediaVerifier', () => {
  describe.each(VALID)('a valid $name', ({ kind, type, bytes }) => {
    it.each(CHUNKINGS)('passes when fed %s', (_how, chunking) => {
      const { failure, verifier } = verify(kind, chunking(bytes));
      expect(failure).toBeUndefined();
      expect(verifier.type).toBe(type);
      expect(verifier.bytesSeen).toBe(bytes.length);
    });

    it.each([1, 7, 8, 'half', 'length-1'] as const)('fails when cut off after %s bytes', (cut) => {
      const at = cut === 'half' ? Math.floor(bytes.length / 2) : cut === 'length-1' ? bytes.length - 1 : cut;
      // A size-0 box runs to wherever the file ends, so cutting inside it cannot be seen.
      const undetectable = bytes === OPEN_ENDED && at > OPEN_ENDED.length - OPEN_ENDED_MDAT_PAYLOAD;
      for (const [, chunking] of CHUNKINGS) {
        const { failure } = verify(kind, chunking(bytes.subarray(0, at)));
        if (undetectable) expect(failure).toBeUndefined();
        else expect(failure?.reason).toEqual(expect.any(String));
      }
    });

    it('fails when sent as the other kind, naming what the bytes are', () => {
      const other: MediaKind = kind === 'video' ? 'image' : 'video';
      const verifier = new MediaVerifier(other);
      // The wrong type is reported as soon as it is sniffed, before the body ends.
      const failure = verifier.push(bytes.subarray(0, 40));
      expect(failure?.reason).toMatch(
        kind === 'video'
          ? /^expected an image .* but the bytes are an? (MP4|QuickTime) video$/
          : /^expected a video .* but the bytes are an? (PNG|JPEG|WebP) image$/,
      );
      expect(verifier.finish()).toEqual(failure);
    });
  });

  it('with a cap, refuses a box that claims more before a byte of it is read, and a body that grows past it', () => {
    const header = largeMp4Header(3 * 1024 * 1024).subarray(0, ftyp().length + moov().length + 16);
    const capped = new MediaVerifier('video', { maxBytes: 1024 * 1024 });
    expect(capped.push(header)).toMatchObject({ overCap: true, reason: expect.stringMatching(/'mdat' box claims 3145728 bytes/) });
    const open = new MediaVerifier('video', { maxBytes: 64 * 1024 });
    expect(open.push(mp4WithOpenEndedMdat(32 * 1024))).toBeUndefined();
    expect(open.push(Buffer.alloc(40 * 1024))).toMatchObject({ overCap: true });
    // Under the cap, the same bodies pass.
    const roomy = new MediaVerifier('video', { maxBytes: 4 * 1024 * 1024 });
    expect(roomy.push(largeMp4Header(3 * 1024 * 1024))).toBeUndefined();
    expect(roomy.finish()).toBeUndefined();
  });

  it('passes a large body in big chunks without keeping it (1 GiB of mdat, 1 MiB chunks)', () => {
    const size = 2 ** 30;
    const head = Buffer.concat([ftyp(), moov()]);
    const header = Buffer.alloc(8);
    header.writeUInt32BE(size - head.length, 0);
    header.write('mdat', 4, 'latin1');
    const verifier = new MediaVerifier('video');
    expect(verifier.push(Buffer.concat([head, header]))).toBeUndefined();
    const chunk = new Uint8Array(2 ** 20);
    let remaining = size - head.length - 8;
    while (remaining > 0) {
      const n = Math.min(remaining, chunk.length);
      expect(verifier.push(chunk.subarray(0, n))).toBeUndefined();
      remaining -= n;
    }
    expect(verifier.finish()).toBeUndefined();
    expect(verifier.bytesSeen).toBe(size);
  });

  describe('video structure', () => {
    it('fails on extra bytes after the last box', () => {
      for (const extra of [Buffer.from([0, 0, 0]), Buffer.alloc(20), text('trailing junk after the movie')]) {
        for (const [, chunking] of CHUNKINGS) {
          const { failure } = verify('video', chunking(Buffer.concat([mp4(), extra])));
          expect(failure?.reason).toMatch(/MP4/);
        }
      }
      expect(verify('video', [Buffer.concat([mp4(), Buffer.from([1, 2, 3])])]).failure?.reason).toBe(
        'the MP4 ends with 3 bytes that are not a whole box (cut off, or junk after the last box?)',
      );
    });

    it('reports a body cut inside a box', () => {
      const file = mp4(400);
      expect(verify('video', byteByByte(file.subarray(0, 300))).failure?.reason).toBe(
        "the MP4 ends inside a box ('mdat', 100 bytes short; cut off?)",
      );
    });

    it('fails without a moov box', () => {
      const file = Buffer.concat([ftyp(), box('free', Buffer.alloc(40)), box('mdat', Buffer.alloc(100))]);
      for (const [, chunking] of CHUNKINGS) {
        expect(verify('video', chunking(file)).failure?.reason).toBe("the MP4 has no 'moov' box (no movie header)");
      }
    });

    it('fails without an mdat box', () => {
      expect(verify('video', [Buffer.concat([ftyp(), moov()])]).failure?.reason).toBe("the MP4 has no 'mdat' box (no media data)");
    });

    it('fails early on a malformed box header (size below 8)', () => {
      const file = Buffer.concat([ftyp(), moov(), Buffer.from([0, 0, 0, 4]), text('mdat'), Buffer.alloc(100)]);
      const verifier = new MediaVerifier('video');
      expect(verifier.push(file.subarray(0, file.length - 50))?.reason).toBe("the MP4 has a malformed box header ('mdat' box of 4 bytes)");
    });

    it('fails on a largesize below 16', () => {
      const large = Buffer.alloc(16);
      large.writeUInt32BE(1, 0);
      large.write('mdat', 4, 'latin1');
      large.writeBigUInt64BE(12n, 8);
      expect(verify('video', byteByByte(Buffer.concat([ftyp(), moov(), large]))).failure?.reason).toBe(
        "the MP4 has a malformed box header ('mdat' box of 12 bytes)",
      );
    });

    it('requires ftyp first', () => {
      const file = Buffer.concat([moov(), ftyp(), box('mdat', Buffer.alloc(100))]);
      expect(sniffMedia(file)).toBeUndefined();
      expect(verify('video', [file]).failure?.reason).toBe('expected a video (MP4 or QuickTime) but the bytes are unrecognised bytes');
    });

    it('accepts the smallest fixture and a largesize box that is the whole rest of a big-ish file', () => {
      expect(verify('video', byteByByte(mp4(MP4_MIN_SIZE))).failure).toBeUndefined();
      expect(verify('video', randomChunks(9)(largeMp4Header(100_000))).failure).toBeUndefined();
    });
  });

  describe('image structure', () => {
    it('reports a PNG cut before IEND', () => {
      const file = png(8, 8);
      expect(verify('image', [file.subarray(0, file.length - 1)]).failure?.reason).toBe('the PNG ends before its IEND chunk (cut off?)');
      expect(verify('image', [file.subarray(0, 20)]).failure?.reason).toBe('the PNG ends before its IHDR header (cut off?)');
    });

    it('rejects a PNG of zero width', () => {
      const file = png(8, 8);
      file.writeUInt32BE(0, 16);
      expect(verify('image', byteByByte(file)).failure?.reason).toBe('the PNG says it is 0×8 pixels');
    });

    it('reports a JPEG without EOI, and one without a frame header', () => {
      const file = jpeg(8, 8);
      expect(verify('image', byteByByte(file.subarray(0, file.length - 1))).failure?.reason).toBe(
        'the JPEG does not end with its end-of-image marker FF D9 (cut off?)',
      );
      // Remove the SOF segment (FF C0, length 11): 2 + 11 bytes.
      const sofAt = file.indexOf(Buffer.from([0xff, 0xc0]));
      const noFrame = Buffer.concat([file.subarray(0, sofAt), file.subarray(sofAt + 13)]);
      expect(verify('image', byteByByte(noFrame)).failure?.reason).toBe('the JPEG has no frame header (SOF) before its image data');
    });

    it('rejects a JPEG of zero height', () => {
      const file = jpeg(8, 8);
      const sofAt = file.indexOf(Buffer.from([0xff, 0xc0]));
      file.writeUInt16BE(0, sofAt + 5);
      expect(verify('image', randomChunks(4)(file)).failure?.reason).toBe('the JPEG says it is 8×0 pixels');
    });

    it('reports a WebP whose length differs from its RIFF size', () => {
      const file = webp(4, 4);
      expect(verify('image', [file.subarray(0, file.length - 1)]).failure?.reason).toBe(
        `the WebP is ${file.length - 1} bytes but its header says ${file.length} (cut off?)`,
      );
      expect(verify('image', [Buffer.concat([file, Buffer.alloc(2)])]).failure?.reason).toBe(
        `the WebP is ${file.length + 2} bytes but its header says ${file.length}`,
      );
    });

    it('reads VP8X and VP8 headers', () => {
      const vp8x = Buffer.concat([
        text('RIFF'),
        Buffer.alloc(4),
        text('WEBPVP8X'),
        Buffer.from([10, 0, 0, 0, 0, 0, 0, 0, 99, 0, 0, 49, 0, 0]),
      ]);
      vp8x.writeUInt32LE(vp8x.length - 8, 4);
      expect(verify('image', byteByByte(vp8x)).failure).toBeUndefined();
      const vp8 = Buffer.concat([
        text('RIFF'),
        Buffer.alloc(4),
        text('WEBPVP8 '),
        Buffer.from([10, 0, 0, 0]),
        Buffer.from([0x50, 0x02, 0x00, 0x9d, 0x01, 0x2a, 0x40, 0x00, 0x30, 0x00]),
      ]);
      vp8.writeUInt32LE(vp8.length - 8, 4);
      expect(verify('image', [vp8]).failure).toBeUndefined();
      vp8.writeUInt16LE(0, 26);
      expect(verify('image', [vp8]).failure?.reason).toBe('the WebP says it is 0×48 pixels');
    });
  });

  describe('bytes that are not the expected media', () => {
    it.each([
      [
        'image',
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg>',
        'expected an image (JPEG, PNG or WebP) but the bytes are SVG/XML text',
      ],
      ['image', '\ufeff  <?xml version="1.0"?><svg></svg>', 'expected an image (JPEG, PNG or WebP) but the bytes are SVG/XML text'],
      ['video', '<!DOCTYPE html><html><body>Forbidden</body></html>', 'expected a video (MP4 or QuickTime) but the bytes are HTML text'],
      ['video', '\n<html><head></head></html>', 'expected a video (MP4 or QuickTime) but the bytes are HTML text'],
      ['image', '<Error><Code>AccessDenied</Code></Error>', 'expected an image (JPEG, PNG or WebP) but the bytes are HTML or XML/SVG text'],
      ['video', '{"error":{"message":"not found"}}', 'expected a video (MP4 or QuickTime) but the bytes are JSON text'],
      ['image', '%PDF-1.7\n%âãÏÓ\n1 0 obj << >> endobj\n', 'expected an image (JPEG, PNG or WebP) but the bytes are a PDF document'],
      [
        'image',
        'GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,\x00',
        'expected an image (JPEG, PNG or WebP) but the bytes are a GIF image',
      ],
      ['image', 'hello, this is just some plain text', 'expected an image (JPEG, PNG or WebP) but the bytes are unrecognised bytes'],
    ] as const)('%s given %j', (kind, body, reason) => {
      const bytes = text(body);
      expect(verify(kind, [bytes]).failure?.reason).toBe(reason);
      expect(verify(kind, byteByByte(bytes)).failure?.reason).toBe(reason);
    });

    it('names WebM and HEIF/AVIF', () => {
      const webm = Buffer.concat([Buffer.from([0x1a, 0x45, 0xdf, 0xa3]), Buffer.alloc(60)]);
      expect(verify('video', [webm]).failure?.reason).toBe('expected a video (MP4 or QuickTime) but the bytes are a WebM/Matroska video');
      const avif = Buffer.concat([ftyp('avif'), Buffer.alloc(60)]);
      expect(sniffMedia(avif)).toBeUndefined();
      expect(verify('video', [avif]).failure?.reason).toBe('expected a video (MP4 or QuickTime) but the bytes are a HEIF/AVIF image');
    });

    it('fails on an empty body, and on a tiny one', () => {
      expect(new MediaVerifier('video').finish()?.reason).toBe('expected a video (MP4 or QuickTime) but the body is empty');
      const verifier = new MediaVerifier('image');
      expect(verifier.push(new Uint8Array(0))).toBeUndefined();
      expect(verifier.finish()?.reason).toBe('expected an image (JPEG, PNG or WebP) but the body is empty');
      expect(verify('image', [Buffer.from([0x89, 0x50, 0x4e])]).failure?.reason).toBe(
        'expected an image (JPEG, PNG or WebP) but the body is only 3 bytes (cut off?)',
      );
    });

    it('keeps reporting the first failure', () => {
      const verifier = new MediaVerifier('video');
      const first = verifier.push(text('<html>'.padEnd(40, ' ')));
      expect(first).toBeDefined();
      expect(verifier.push(mp4())).toEqual(first);
      expect(verifier.finish()).toEqual(first);
      expect(() => verifier.push(new Uint8Array(1))).toThrow();
    });
  });

  describe('sniffMedia', () => {
    it.each([
      [png(1, 1), 'image/png'],
      [jpeg(1, 1), 'image/jpeg'],
      [webp(1, 1), 'image/webp'],
      [mp4(), 'video/mp4'],
      [mp4(200, 'qt  '), 'video/quicktime'],
      [mp4(200, 'M4V '), 'video/mp4'],
      [text('<svg></svg>'), undefined],
      [text('GIF89a'), undefined],
      [new Uint8Array(0), undefined],
    ] as const)('%#', (bytes, type) => {
      expect(sniffMedia(bytes.subarray(0, 32))).toBe(type);
    });
  });
});
