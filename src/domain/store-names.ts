import { invalidInput, outsideRoots } from './errors';
import { KNOWN_MEDIA_EXTENSIONS } from './media';

/**
 * Names in stores that are not a local folder tree (a bucket prefix, memory): a caller's `file` is a
 * relative name of `/`-separated segments. Anything that could step out of the store's space, or
 * that no portable file name could hold, is refused before anything is paid for.
 */

/** Characters no portable file name may hold (Windows reserves these; control characters break terminals and logs). */
// eslint-disable-next-line no-control-regex -- control characters are exactly what this refuses
const RESERVED = /[\u0000-\u001f\u007f<>:"|?*\\]/;

/** Refuses segments that would not be portable, or that resources would never list (hidden ones). */
export function checkPortableSegments(file: string, segments: readonly string[]): void {
  for (const segment of segments) {
    const bad = RESERVED.exec(segment);
    if (bad) {
      const char = bad[0];
      const shown =
        char.charCodeAt(0) < 0x20 || char === '\u007f'
          ? `control character U+${char.charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()}`
          : `"${char}"`;
      throw invalidInput('file', { rule: 'name_unusable', path: file, problem: 'reserved_character', character: shown });
    }
  }
  const last = segments.at(-1) ?? '';
  if (last.startsWith('.') && last !== '.' && last !== '..') {
    throw invalidInput('file', { rule: 'name_unusable', path: file, problem: 'leading_dot' });
  }
}

/**
 * The relative key a caller's name stands for (`clips/take1.mp4` → `clips/take1.mp4`), refusing
 * absolute names and `..`, which would leave the store's space, and empty or `.` segments.
 */
export function relativeKey(file: string): string {
  const segments = file.split('/');
  const folder = file.endsWith('/');
  const parts = folder ? segments.slice(0, -1) : segments;
  if (file.startsWith('/') || parts.some((segment) => segment === '..')) {
    throw outsideRoots('file', { problem: 'outside_store', path: file });
  }
  if (parts.some((segment) => segment === '' || segment === '.')) {
    throw invalidInput('file', { rule: 'name_unusable', path: file, problem: 'empty_folder_name' });
  }
  checkPortableSegments(file, parts);
  // Hidden folders too: resources never list or read anything under one, so nothing may be saved there.
  if (parts.some((segment) => segment.startsWith('.'))) {
    throw invalidInput('file', { rule: 'name_unusable', path: file, problem: 'hidden_folder' });
  }
  return parts.join('/') + (folder ? '/' : '');
}

/** `take1.mp4` → `take1`: a known media extension is replaced by the one the bytes decide. */
export function stripMediaExtension(name: string): string {
  const dot = name.lastIndexOf('.');
  if (dot <= Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'))) return name;
  const extension = name.slice(dot).toLowerCase();
  return KNOWN_MEDIA_EXTENSIONS.includes(extension) ? name.slice(0, dot) : name;
}

/** How names are shown in messages: control characters as `?`, long ones cut. */
export function printableName(file: string): string {
  // eslint-disable-next-line no-control-regex -- shown as '?' in messages
  const printable = file.replace(/[\u0000-\u001f\u007f]/g, '?');
  return printable.length > 120 ? `${printable.slice(0, 120)}…` : printable;
}
