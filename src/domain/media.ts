/** The reference-image formats the API accepts; everything else is refused. */
export const IMAGE_MIME_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export type ImageMimeType = (typeof IMAGE_MIME_TYPES)[number];

/** `jpeg`, `png`, `webp`: the subtype, which is also the format name image libraries use. */
export function imageFormat(mimeType: ImageMimeType): string {
  return mimeType.slice('image/'.length);
}

const EXTENSIONS: Record<string, string> = {
  'video/mp4': '.mp4',
  'video/quicktime': '.mov',
  'video/webm': '.webm',
  'image/webp': '.webp',
  'image/jpeg': '.jpg',
  'image/png': '.png',
  'image/gif': '.gif',
  'application/zip': '.zip',
};

/** Extensions a caller may already have put on `file`; they are replaced by the real one. */
export const KNOWN_MEDIA_EXTENSIONS = [...new Set([...Object.values(EXTENSIONS), '.jpeg', '.bin'])];

/** Bare MIME type of a `content-type` header, lower-cased, without parameters. */
export function bareMimeType(contentType: string | undefined | null): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase() || 'application/octet-stream';
}

/** The file extension for a `content-type`: known types map exactly, other images `.png`, the rest `.bin`. */
export function extensionForContentType(contentType: string | undefined | null): string {
  const mime = bareMimeType(contentType);
  return EXTENSIONS[mime] ?? (mime.startsWith('image/') ? '.png' : '.bin');
}

/** MIME type for a file extension (for files found on disk); unknown ones are `application/octet-stream`. */
export function mimeTypeForExtension(extension: string): string {
  const ext = extension.toLowerCase();
  if (ext === '.jpeg') return 'image/jpeg';
  const found = Object.entries(EXTENSIONS).find(([, value]) => value === ext);
  return found ? found[0] : 'application/octet-stream';
}
