import { bareMimeType, extensionForContentType, imageFormat, KNOWN_MEDIA_EXTENSIONS, mimeTypeForExtension } from '../../src/domain/media';

/** The MIME and extension tables files are named and served by, value by value. */
describe('imageFormat', () => {
  it.each([
    ['image/jpeg', 'jpeg'],
    ['image/png', 'png'],
    ['image/webp', 'webp'],
  ] as const)('names %s as %s, the format image libraries use', (mime, format) => {
    expect(imageFormat(mime)).toBe(format);
  });
});

describe('bareMimeType', () => {
  it.each([
    ['video/mp4', 'video/mp4'],
    // Parameters go, case and padding too: a header's spelling does not change the type.
    ['Video/MP4; codecs="avc1"', 'video/mp4'],
    ['  image/PNG  ;charset=binary', 'image/png'],
    ['text/plain;', 'text/plain'],
    // No type at all is unknown bytes.
    [undefined, 'application/octet-stream'],
    [null, 'application/octet-stream'],
    ['', 'application/octet-stream'],
    ['   ', 'application/octet-stream'],
    ['; charset=utf-8', 'application/octet-stream'],
  ])('reads %j as %s', (header, mime) => {
    expect(bareMimeType(header)).toBe(mime);
  });
});

describe('extensionForContentType', () => {
  it.each([
    ['video/mp4', '.mp4'],
    ['video/quicktime', '.mov'],
    ['video/webm', '.webm'],
    ['image/webp', '.webp'],
    ['image/jpeg', '.jpg'],
    ['image/png', '.png'],
    ['image/gif', '.gif'],
    ['application/zip', '.zip'],
    ['VIDEO/MP4; charset=binary', '.mp4'],
    // Other images are shown as PNG; anything else is opaque bytes.
    ['image/avif', '.png'],
    ['image/svg+xml', '.png'],
    ['application/x-image/', '.bin'],
    ['video/x-matroska', '.bin'],
    ['text/html', '.bin'],
    [undefined, '.bin'],
    [null, '.bin'],
  ])('gives %j the extension %s', (header, extension) => {
    expect(extensionForContentType(header)).toBe(extension);
  });
});

describe('mimeTypeForExtension', () => {
  it.each([
    ['.mp4', 'video/mp4'],
    ['.mov', 'video/quicktime'],
    ['.webm', 'video/webm'],
    ['.webp', 'image/webp'],
    ['.jpg', 'image/jpeg'],
    // `.jpeg` is not in the table (`.jpg` is what files are named), yet a file found on disk may carry it.
    ['.jpeg', 'image/jpeg'],
    ['.JPEG', 'image/jpeg'],
    ['.Jpg', 'image/jpeg'],
    ['.png', 'image/png'],
    ['.PNG', 'image/png'],
    ['.gif', 'image/gif'],
    ['.zip', 'application/zip'],
    ['.MP4', 'video/mp4'],
    ['.bin', 'application/octet-stream'],
    ['.txt', 'application/octet-stream'],
    ['', 'application/octet-stream'],
    ['mp4', 'application/octet-stream'],
  ])('gives %j the type %s', (extension, mime) => {
    expect(mimeTypeForExtension(extension)).toBe(mime);
  });
});

describe('KNOWN_MEDIA_EXTENSIONS', () => {
  it('holds every extension the server writes, plus the .jpeg and .bin a caller may have written, once each', () => {
    expect(KNOWN_MEDIA_EXTENSIONS).toEqual(['.mp4', '.mov', '.webm', '.webp', '.jpg', '.png', '.gif', '.zip', '.jpeg', '.bin']);
  });
});
