import { ascii, byteAt, startsWith, u16be, u16le, u24le, u32be, u32le } from './bytes';
import { readBoxHeader, readLargeSize } from './mp4';
import { describeBytes, sniffMedia, SNIFF_LENGTH, type SniffedType } from './sniff';

/**
 * Streaming structural checks for downloaded media: is the body really the kind of file we asked
 * for, and is it whole? Bytes are fed chunk by chunk and only a few small buffers are kept (the
 * first 32 bytes until the type is known, a box or segment header, and the last 16 bytes), so a
 * 1 GiB video costs constant memory. Plain ECMAScript only: no Node globals.
 */

export type MediaKind = 'video' | 'image';

/** Why a body is not acceptable, as short text (the MCP layer puts it in its sentence). */
export interface VerificationFailure {
  reason: string;
  /** The body is whole media of the other kind (a video served for a thumbnail): asking again will not change it. */
  servedType?: SniffedType;
  /** The body is, or says it will be, larger than the verifier's cap: asking again will not change it either. */
  overCap?: true;
}

export interface VerifierOptions {
  /** The most bytes the body may have; a box or chunk that claims more is refused before it is read. */
  maxBytes?: number;
}

/** How many trailing bytes are kept for end-of-file checks. */
const TAIL_LENGTH = 16;

const PNG_TRAILER = [0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82];

const KIND_TYPES: Record<MediaKind, readonly SniffedType[]> = {
  video: ['video/mp4', 'video/quicktime'],
  image: ['image/jpeg', 'image/png', 'image/webp'],
};
const KIND_TEXT: Record<MediaKind, string> = {
  video: 'a video (MP4 or QuickTime)',
  image: 'an image (JPEG, PNG or WebP)',
};

/** A format's incremental checker; both methods return a failure (or its reason) or undefined. */
interface FormatParser {
  feed(bytes: Uint8Array): string | VerificationFailure | undefined;
  end(total: number, tail: Uint8Array): string | undefined;
}

/** ISO-BMFF: walks the top-level boxes, skipping their payloads. */
class Mp4Parser implements FormatParser {
  constructor(private readonly maxBytes: number) {}
  /** Where the current box header started, from the first byte of the body. */
  private boxStart = 0;
  private consumed = 0;
  private readonly header = new Uint8Array(16);
  private headerLength = 0;
  private remaining = 0;
  private toEnd = false;
  private boxes = 0;
  private boxType = '';
  private readonly seen = new Set<string>();

  feed(bytes: Uint8Array): string | VerificationFailure | undefined {
    let i = 0;
    while (i < bytes.length) {
      if (this.toEnd) break;
      if (this.remaining > 0) {
        const n = Math.min(this.remaining, bytes.length - i);
        this.remaining -= n;
        this.consumed += n;
        i += n;
        continue;
      }
      if (this.headerLength === 0) this.boxStart = this.consumed;
      this.consumed += 1;
      this.header[this.headerLength++] = byteAt(bytes, i++);
      const failure = this.headerLength === 8 ? this.smallHeader() : this.headerLength === 16 ? this.largeHeader() : undefined;
      if (failure) return failure;
    }
    return undefined;
  }

  private smallHeader(): string | VerificationFailure | undefined {
    const header = readBoxHeader(this.header);
    if (!header) return `the MP4 has a malformed box header (box ${this.boxes + 1} has no text type)`;
    this.boxType = header.type;
    if (this.boxes === 0 && this.boxType !== 'ftyp') return `the MP4 does not start with an 'ftyp' box (it starts with '${this.boxType}')`;
    if (header.size === 1) return undefined; // a 64-bit size follows
    if (header.size === 0) {
      this.toEnd = true;
      return this.startBox(0);
    }
    if (header.size < 8) return `the MP4 has a malformed box header ('${this.boxType}' box of ${header.size} bytes)`;
    return this.startBox(header.size - 8);
  }

  private largeHeader(): string | VerificationFailure | undefined {
    const size = readLargeSize(this.header);
    if (size === undefined) return `the MP4 has an implausible box size ('${this.boxType}' box over 2^53 bytes)`;
    if (size < 16) return `the MP4 has a malformed box header ('${this.boxType}' box of ${size} bytes)`;
    return this.startBox(size - 16);
  }

  private startBox(payload: number): string | VerificationFailure | undefined {
    if (this.boxes === 0 && payload < 8 && !this.toEnd) return "the MP4 has a malformed 'ftyp' box";
    // Refused before its payload is read: a box that says it is larger than the whole may be.
    if (this.boxStart + this.headerLength + payload > this.maxBytes) {
      const claimed = this.boxStart + this.headerLength + payload;
      return { reason: `the MP4's '${this.boxType}' box claims ${claimed} bytes, more than the ${this.maxBytes} accepted`, overCap: true };
    }
    this.boxes += 1;
    this.seen.add(this.boxType);
    this.remaining = payload;
    this.headerLength = 0;
    return undefined;
  }

  end(): string | undefined {
    if (!this.toEnd) {
      if (this.headerLength > 0) {
        return `the MP4 ends with ${this.headerLength} bytes that are not a whole box (cut off, or junk after the last box?)`;
      }
      if (this.remaining > 0) return `the MP4 ends inside a box ('${this.boxType}', ${this.remaining} bytes short; cut off?)`;
    }
    if (!this.seen.has('moov')) return "the MP4 has no 'moov' box (no movie header)";
    if (!this.seen.has('mdat')) return "the MP4 has no 'mdat' box (no media data)";
    return undefined;
  }
}

/** Collects the first `length` bytes for a header check done once they are all there. */
abstract class PrefixParser implements FormatParser {
  private readonly prefix: Uint8Array;
  private filled = 0;

  protected constructor(length: number) {
    this.prefix = new Uint8Array(length);
  }

  feed(bytes: Uint8Array): string | undefined {
    if (this.filled === this.prefix.length) return undefined;
    const n = Math.min(bytes.length, this.prefix.length - this.filled);
    this.prefix.set(bytes.subarray(0, n), this.filled);
    this.filled += n;
    return this.filled === this.prefix.length ? this.checkHeader(this.prefix) : undefined;
  }

  end(total: number, tail: Uint8Array): string | undefined {
    if (this.filled < this.prefix.length) return this.shortHeader();
    return this.checkEnd(total, tail);
  }

  protected abstract checkHeader(header: Uint8Array): string | undefined;
  protected abstract shortHeader(): string;
  protected abstract checkEnd(total: number, tail: Uint8Array): string | undefined;
}

/** PNG: signature, then IHDR with a real size; ends with the IEND chunk. */
class PngParser extends PrefixParser {
  constructor() {
    super(24);
  }

  protected checkHeader(header: Uint8Array): string | undefined {
    if (u32be(header, 8) !== 13 || ascii(header, 12, 16) !== 'IHDR') return 'the PNG does not start with an IHDR chunk';
    const width = u32be(header, 16);
    const height = u32be(header, 20);
    if (width === 0 || height === 0) return `the PNG says it is ${width}×${height} pixels`;
    return undefined;
  }

  protected shortHeader(): string {
    return 'the PNG ends before its IHDR header (cut off?)';
  }

  protected checkEnd(total: number, tail: Uint8Array): string | undefined {
    // Signature, IHDR and IEND at the very least.
    if (total < 8 + 25 + 12 || !startsWith(tail, PNG_TRAILER, tail.length - PNG_TRAILER.length)) {
      return 'the PNG ends before its IEND chunk (cut off?)';
    }
    return undefined;
  }
}

/** WebP: RIFF header, a VP8/VP8L/VP8X chunk with a size; the RIFF size must match the body. */
class WebpParser extends PrefixParser {
  private riffSize = 0;

  constructor() {
    super(30);
  }

  protected checkHeader(header: Uint8Array): string | undefined {
    this.riffSize = u32le(header, 4);
    const chunk = ascii(header, 12, 16);
    let width: number;
    let height: number;
    if (chunk === 'VP8 ') {
      if (!startsWith(header, [0x9d, 0x01, 0x2a], 23)) return 'the WebP has a malformed VP8 frame header';
      width = u16le(header, 26) & 0x3fff;
      height = u16le(header, 28) & 0x3fff;
    } else if (chunk === 'VP8L') {
      if (byteAt(header, 20) !== 0x2f) return 'the WebP has a malformed VP8L header';
      const bits = u32le(header, 21);
      if (bits >>> 29 !== 0) return 'the WebP has an unknown VP8L version';
      width = (bits & 0x3fff) + 1;
      height = ((bits >>> 14) & 0x3fff) + 1;
    } else if (chunk === 'VP8X') {
      width = u24le(header, 24) + 1;
      height = u24le(header, 27) + 1;
    } else {
      return `the WebP has no VP8, VP8L or VP8X image header (first chunk '${chunk}')`;
    }
    if (width === 0 || height === 0) return `the WebP says it is ${width}×${height} pixels`;
    return undefined;
  }

  protected shortHeader(): string {
    return 'the WebP ends before its image header (cut off?)';
  }

  protected checkEnd(total: number): string | undefined {
    const declared = this.riffSize + 8;
    if (total !== declared) return `the WebP is ${total} bytes but its header says ${declared}${total < declared ? ' (cut off?)' : ''}`;
    return undefined;
  }
}

type JpegState = 'soi' | 'marker' | 'code' | 'length' | 'sof' | 'skip' | 'scan';

/** SOF markers that carry a frame size (C4 DHT, C8 JPG and CC DAC are not frames). */
function isStartOfFrame(code: number): boolean {
  return code >= 0xc0 && code <= 0xcf && code !== 0xc4 && code !== 0xc8 && code !== 0xcc;
}

/** JPEG: walks the marker segments up to the first scan (SOS), needing a frame header; ends with EOI. */
class JpegParser implements FormatParser {
  private state: JpegState = 'soi';
  private readonly buffer = new Uint8Array(5);
  private buffered = 0;
  private code = 0;
  private skip = 0;
  private frameSeen = false;

  feed(bytes: Uint8Array): string | undefined {
    let i = 0;
    while (i < bytes.length && this.state !== 'scan') {
      if (this.state === 'skip') {
        const n = Math.min(this.skip, bytes.length - i);
        this.skip -= n;
        i += n;
        if (this.skip === 0) this.state = 'marker';
        continue;
      }
      const failure = this.step(byteAt(bytes, i++));
      if (failure) return failure;
    }
    return undefined;
  }

  private step(b: number): string | undefined {
    switch (this.state) {
      case 'soi':
        this.buffer[this.buffered++] = b;
        if (this.buffered === 2) {
          if (this.buffer[0] !== 0xff || this.buffer[1] !== 0xd8) return 'the JPEG does not start with SOI';
          this.buffered = 0;
          this.state = 'marker';
        }
        return undefined;
      case 'marker':
        if (b !== 0xff) return 'the JPEG has a malformed marker segment';
        this.state = 'code';
        return undefined;
      case 'code':
        return this.marker(b);
      case 'length':
        this.buffer[this.buffered++] = b;
        if (this.buffered === 2) {
          const length = u16be(this.buffer, 0);
          this.buffered = 0;
          if (length < 2) return 'the JPEG has a malformed marker segment';
          if (isStartOfFrame(this.code)) {
            if (length < 8) return 'the JPEG has a malformed frame header (SOF)';
            this.skip = length - 2 - 5;
            this.state = 'sof';
          } else {
            this.skip = length - 2;
            this.state = this.skip > 0 ? 'skip' : 'marker';
          }
        }
        return undefined;
      case 'sof':
        this.buffer[this.buffered++] = b;
        if (this.buffered === 5) {
          const height = u16be(this.buffer, 1);
          const width = u16be(this.buffer, 3);
          if (width === 0 || height === 0) return `the JPEG says it is ${width}×${height} pixels`;
          this.frameSeen = true;
          this.buffered = 0;
          this.state = this.skip > 0 ? 'skip' : 'marker';
        }
        return undefined;
      default:
        return undefined;
    }
  }

  private marker(code: number): string | undefined {
    if (code === 0xff) return undefined; // fill byte
    if (code === 0x01 || (code >= 0xd0 && code <= 0xd7)) {
      this.state = 'marker';
      return undefined;
    }
    if (code === 0x00 || code === 0xd8) return 'the JPEG has a malformed marker segment';
    if (code === 0xd9) return 'the JPEG ends (EOI) before any image data';
    if (code === 0xda) {
      if (!this.frameSeen) return 'the JPEG has no frame header (SOF) before its image data';
      this.state = 'scan';
      return undefined;
    }
    this.code = code;
    this.state = 'length';
    return undefined;
  }

  end(_total: number, tail: Uint8Array): string | undefined {
    if (this.state !== 'scan') return 'the JPEG ends before its image data (cut off?)';
    if (!startsWith(tail, [0xff, 0xd9], tail.length - 2)) return 'the JPEG does not end with its end-of-image marker FF D9 (cut off?)';
    return undefined;
  }
}

function parserFor(type: SniffedType, maxBytes: number): FormatParser {
  switch (type) {
    case 'video/mp4':
    case 'video/quicktime':
      return new Mp4Parser(maxBytes);
    case 'image/png':
      return new PngParser();
    case 'image/jpeg':
      return new JpegParser();
    case 'image/webp':
      return new WebpParser();
  }
}

/** Feeds chunks; `finish()` returns undefined when the whole body is structurally complete, else a failure. */
export class MediaVerifier {
  private readonly head = new Uint8Array(SNIFF_LENGTH);
  private readonly tailBytes = new Uint8Array(TAIL_LENGTH);
  private tailLength = 0;
  private seen = 0;
  private sniffed: SniffedType | undefined;
  private parser: FormatParser | undefined;
  private failure: VerificationFailure | undefined;
  private finished = false;
  private result: VerificationFailure | undefined;

  private readonly maxBytes: number;

  constructor(
    private readonly expected: MediaKind,
    options: VerifierOptions = {},
  ) {
    this.maxBytes = options.maxBytes ?? Number.MAX_SAFE_INTEGER;
  }

  /** The sniffed type once known (after enough bytes). */
  get type(): SniffedType | undefined {
    return this.sniffed;
  }

  get bytesSeen(): number {
    return this.seen;
  }

  push(chunk: Uint8Array): VerificationFailure | undefined {
    if (this.finished) throw new Error('MediaVerifier: push() after finish()');
    if (this.failure || chunk.length === 0) return this.failure;
    const before = this.seen;
    this.seen += chunk.length;
    if (this.seen > this.maxBytes) {
      this.failure = { reason: `the body is larger than the ${this.maxBytes} bytes accepted`, overCap: true };
      return this.failure;
    }
    this.keepTail(chunk);
    if (this.parser) return this.feed(chunk);
    const copied = Math.min(chunk.length, SNIFF_LENGTH - before);
    this.head.set(chunk.subarray(0, copied), before);
    if (this.seen < SNIFF_LENGTH) return undefined;
    return this.decide(SNIFF_LENGTH) ?? this.feed(this.head.subarray(0, before)) ?? this.feed(chunk);
  }

  finish(): VerificationFailure | undefined {
    if (this.finished) return this.result;
    this.finished = true;
    this.result = this.conclude();
    return this.result;
  }

  private conclude(): VerificationFailure | undefined {
    if (this.failure) return this.failure;
    if (this.seen === 0) return { reason: `expected ${KIND_TEXT[this.expected]} but the body is empty` };
    if (!this.parser) {
      const failure = this.decide(this.seen) ?? this.feed(this.head.subarray(0, this.seen));
      if (failure) return failure;
    }
    const reason = this.parser?.end(this.seen, this.tailBytes.subarray(0, this.tailLength));
    return reason === undefined ? undefined : { reason };
  }

  /** Sniffs the first `length` bytes and picks a parser, or fails on the wrong kind. */
  private decide(length: number): VerificationFailure | undefined {
    const head = this.head.subarray(0, length);
    const type = sniffMedia(head);
    if (type && KIND_TYPES[this.expected].includes(type)) {
      this.sniffed = type;
      this.parser = parserFor(type, this.maxBytes);
      return undefined;
    }
    const what = describeBytes(head);
    const reason =
      !type && what === 'unrecognised bytes' && length < 12
        ? `expected ${KIND_TEXT[this.expected]} but the body is only ${length} bytes (cut off?)`
        : `expected ${KIND_TEXT[this.expected]} but the bytes are ${what}`;
    this.failure = type ? { reason, servedType: type } : { reason };
    return this.failure;
  }

  private feed(bytes: Uint8Array): VerificationFailure | undefined {
    if (bytes.length === 0) return undefined;
    const reason = this.parser?.feed(bytes);
    if (reason !== undefined) this.failure = typeof reason === 'string' ? { reason } : reason;
    return this.failure;
  }

  private keepTail(chunk: Uint8Array): void {
    if (chunk.length >= TAIL_LENGTH) {
      this.tailBytes.set(chunk.subarray(chunk.length - TAIL_LENGTH));
      this.tailLength = TAIL_LENGTH;
      return;
    }
    const keep = Math.min(this.tailLength, TAIL_LENGTH - chunk.length);
    this.tailBytes.copyWithin(0, this.tailLength - keep, this.tailLength);
    this.tailBytes.set(chunk, keep);
    this.tailLength = keep + chunk.length;
  }
}
