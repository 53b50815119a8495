import { ascii, byteAt, startsWith } from './bytes';

/**
 * The one sniffer: what a body is, from its first bytes, whatever its name or content type says.
 * Used by the download verifier, by the reference-image checks and by the image adapter.
 */

export type SniffedType = 'video/mp4' | 'video/quicktime' | 'image/jpeg' | 'image/png' | 'image/webp';

/** Bytes that decide the type (fewer only when the body is shorter). */
export const SNIFF_LENGTH = 32;

export const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** ISO-BMFF major brands of still images (HEIF, AVIF): not videos. */
const IMAGE_BRANDS = new Set(['avif', 'avis', 'heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'mif1', 'msf1']);

export const TYPE_TEXT: Record<SniffedType, string> = {
  'video/mp4': 'an MP4 video',
  'video/quicktime': 'a QuickTime video',
  'image/jpeg': 'a JPEG image',
  'image/png': 'a PNG image',
  'image/webp': 'a WebP image',
};

/** Identifies the type from the first bytes (at least 32 if available). Returns undefined for anything else (SVG, HTML, GIF, PDF, text, WebM...). */
export function sniffMedia(head: Uint8Array): SniffedType | undefined {
  if (startsWith(head, PNG_SIGNATURE)) return 'image/png';
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (head.length >= 12 && ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 12) === 'WEBP') return 'image/webp';
  if (head.length >= 12 && ascii(head, 4, 8) === 'ftyp') {
    const brand = ascii(head, 8, 12);
    if (IMAGE_BRANDS.has(brand)) return undefined;
    return brand === 'qt  ' ? 'video/quicktime' : 'video/mp4';
  }
  return undefined;
}

/** Binary formats told apart from their first bytes though never accepted: named in refusals, and proof that bytes are a file. */
function otherFormat(head: Uint8Array): string | undefined {
  if (ascii(head, 0, 4) === '%PDF') return 'a PDF document';
  if (ascii(head, 0, 4) === 'GIF8') return 'a GIF image';
  if (startsWith(head, [0x1a, 0x45, 0xdf, 0xa3])) return 'a WebM/Matroska video';
  if (head.length >= 12 && ascii(head, 4, 8) === 'ftyp') return 'a HEIF/AVIF image';
  if (startsWith(head, [0x49, 0x49, 0x2a, 0x00]) || startsWith(head, [0x4d, 0x4d, 0x00, 0x2a])) return 'a TIFF image';
  if (ascii(head, 0, 2) === 'BM' && head.length >= 14) return 'a BMP image';
  return undefined;
}

/** Whether the bytes are a file of a known format (accepted or not): how raw base64 is told from a path that happens to decode. */
export function isKnownFormat(head: Uint8Array): boolean {
  return sniffMedia(head) !== undefined || otherFormat(head) !== undefined;
}

/** What unaccepted bytes look like, for failure messages ("the bytes are …"). */
export function describeBytes(head: Uint8Array): string {
  const sniffed = sniffMedia(head);
  if (sniffed) return TYPE_TEXT[sniffed];
  const other = otherFormat(head);
  if (other) return other;
  let i = startsWith(head, [0xef, 0xbb, 0xbf]) ? 3 : 0;
  while (i < head.length && [0x09, 0x0a, 0x0d, 0x20].includes(byteAt(head, i))) i++;
  const text = ascii(head, i, head.length).toLowerCase();
  if (text.startsWith('<svg') || text.startsWith('<?xml')) return 'SVG/XML text';
  if (text.startsWith('<!doctype html') || text.startsWith('<html')) return 'HTML text';
  if (text.startsWith('<')) return 'HTML or XML/SVG text';
  if (text.startsWith('{')) return 'JSON text';
  return 'unrecognised bytes';
}
