import { MAX_REFERENCE_BYTES, ReferenceImagePreparer, type ReferenceRequest } from '../../src/application/reference-image-preparer';
import { imageRefused, notFound } from '../../src/domain/errors';
import type { FitBackground, FitMode, ImageFetcher, ImageInfo, ImageProcessor, LocalFileReader } from '../../src/domain/ports';
import { agentText, said, saying } from '../support/refusals';

/**
 * The preparer over fakes of its three ports (our own, so a unit test may script them): which source is read, what the
 * image processor is asked to do, what is uploaded, and how a refusal names the input it is about.
 */
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3, 4]);
const FITTED = new Uint8Array([9, 9, 9]);

class ScriptedImages implements ImageProcessor {
  info: ImageInfo = { mimeType: 'image/png', width: 1280, height: 720, needsOrientation: false };
  readonly calls: string[] = [];
  fits: Array<{ target: { width: number; height: number }; mode: string; background: FitBackground }> = [];
  failInspect: Error | undefined;
  async inspect(bytes: Uint8Array): Promise<ImageInfo> {
    this.calls.push(`inspect ${bytes.length}`);
    if (this.failInspect) throw this.failInspect;
    return this.info;
  }
  async verifyDecodable(bytes: Uint8Array): Promise<void> {
    this.calls.push(`verify ${bytes.length}`);
  }
  async fit(_bytes: Uint8Array, target: { width: number; height: number }, mode: Exclude<FitMode, 'match'>, background: FitBackground) {
    this.fits.push({ target, mode, background });
    return { bytes: FITTED, mimeType: 'image/jpeg' as const, width: target.width, height: target.height };
  }
}

class ScriptedFetcher implements ImageFetcher {
  readonly asked: Array<{ url: string; maxBytes: number }> = [];
  async fetch(url: string, options: { maxBytes: number }): Promise<Uint8Array> {
    this.asked.push({ url, maxBytes: options.maxBytes });
    return PNG;
  }
}

class ScriptedFiles implements LocalFileReader {
  readonly asked: Array<{ path: string; maxBytes: number }> = [];
  failure: Error | undefined;
  async read(path: string, maxBytes: number): Promise<Uint8Array> {
    this.asked.push({ path, maxBytes });
    if (this.failure) throw this.failure;
    return PNG;
  }
}

describe('ReferenceImagePreparer', () => {
  let images: ScriptedImages;
  let fetcher: ScriptedFetcher;
  let files: ScriptedFiles;
  let preparer: ReferenceImagePreparer;
  const dataUrl = `data:image/png;base64,${Buffer.from(PNG).toString('base64')}`;
  const request = (over: Partial<ReferenceRequest>): ReferenceRequest => ({
    input: dataUrl,
    size: '1280x720',
    fit: 'cover',
    background: 'blur',
    ...over,
  });

  beforeEach(() => {
    images = new ScriptedImages();
    fetcher = new ScriptedFetcher();
    files = new ScriptedFiles();
    preparer = new ReferenceImagePreparer(files, images, fetcher);
  });

  it('uploads an image of exactly the video size untouched, once it decodes, named for its field and type', async () => {
    const upload = await preparer.prepare(request({}));
    expect(upload).toEqual({ bytes: PNG, mimeType: 'image/png', filename: 'reference.png' });
    expect(images.calls).toEqual([`inspect ${PNG.length}`, `verify ${PNG.length}`]);
    expect(images.fits).toEqual([]);
    const last = await preparer.prepare(request({ field: 'last_frame' }));
    expect(last.filename).toBe('last-frame.png');
  });

  it.each([
    ['cover', 'cover'],
    ['contain', 'contain'],
    ['stretch', 'stretch'],
  ] as const)('fits an image of another size with %s to the video size', async (fit, mode) => {
    images.info = { mimeType: 'image/png', width: 500, height: 500, needsOrientation: false };
    const upload = await preparer.prepare(request({ fit, background: '#112233', size: '720x1280' }));
    expect(images.fits).toEqual([{ target: { width: 720, height: 1280 }, mode, background: '#112233' }]);
    expect(upload).toEqual({ bytes: FITTED, mimeType: 'image/jpeg', filename: 'reference.jpg' });
  });

  it('re-encodes an exact-size image that only needs its EXIF rotation, stretching it to its own size', async () => {
    images.info = { mimeType: 'image/jpeg', width: 1280, height: 720, needsOrientation: true };
    const upload = await preparer.prepare(request({ fit: 'match' }));
    expect(images.fits).toEqual([{ target: { width: 1280, height: 720 }, mode: 'stretch', background: 'blur' }]);
    expect(upload.bytes).toBe(FITTED);
  });

  it('takes the API default size (720x1280) when none is given, and says so when the image does not match', async () => {
    images.info = { mimeType: 'image/png', width: 1280, height: 720, needsOrientation: false };
    const refusal = await said(preparer.prepare(request({ size: undefined, fit: 'match' })));
    expect(refusal).toMatch(
      saying('reference_image_size_mismatch', 'input_reference is 1280x720 but the video size is 720x1280 (the default'),
    );
    await preparer.prepare(request({ size: undefined, fit: 'cover' }));
    expect(images.fits.at(-1)?.target).toEqual({ width: 720, height: 1280 });
  });

  it('refuses a mismatched image under "match" naming the field and both sizes, without the default note when a size was asked for', async () => {
    images.info = { mimeType: 'image/png', width: 640, height: 480, needsOrientation: false };
    const refusal = await said(preparer.prepare(request({ field: 'last_frame', fit: 'match' })));
    expect(refusal).toMatch(saying('reference_image_size_mismatch', 'last_frame is 640x480 but the video size is 1280x720;'));
    expect(refusal).not.toContain('the default');
    expect(images.fits).toEqual([]);
  });

  it('refuses a size too large to fit to, before fitting', async () => {
    images.info = { mimeType: 'image/png', width: 10, height: 10, needsOrientation: false };
    const refusal = await said(preparer.prepare(request({ size: '7681x4320' })));
    expect(refusal).toMatch(/\(code: invalid_input\)$/);
    expect(refusal).toContain('7681x4320');
    expect(images.fits).toEqual([]);
    // The largest canvas allowed (8K) is fitted.
    await preparer.prepare(request({ size: '7680x4320' }));
    expect(images.fits).toHaveLength(1);
  });

  it('reads a URL through the fetcher and a path through the file reader, both capped at 20 MiB', async () => {
    await preparer.prepare(request({ input: 'https://images.example/a.png' }));
    expect(fetcher.asked).toEqual([{ url: 'https://images.example/a.png', maxBytes: MAX_REFERENCE_BYTES }]);
    await preparer.prepare(request({ input: 'refs/a.png' }));
    expect(files.asked).toEqual([{ path: 'refs/a.png', maxBytes: MAX_REFERENCE_BYTES }]);
    expect(MAX_REFERENCE_BYTES).toBe(20 * 1024 * 1024);
  });

  it('says a path that is not there is no image source, naming the path and the sources it could have been', async () => {
    files.failure = notFound({ reason: 'no_file', path: 'refs/missing.png' }, { field: 'input_reference' });
    const refusal = await said(preparer.prepare(request({ input: 'refs/missing.png', field: 'last_frame' })));
    expect(refusal).toMatch(/^last_frame: .*refs\/missing\.png/);
    expect(refusal).toMatch(/\(code: invalid_input\)$/);
  });

  it('passes any other failure of the file reader through, renamed to the field it is about', async () => {
    files.failure = imageRefused('input_reference', { problem: 'too_large', most_bytes: 10, size_bytes: 11, path: 'refs/big.png' });
    const error = await preparer.prepare(request({ input: 'refs/big.png', field: 'last_frame' })).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'invalid_reference_image', field: 'last_frame' });
    expect(agentText(error)).toBe(
      'last_frame: "refs/big.png" is 11 bytes; the limit is 10. Use a smaller image. (code: invalid_reference_image)',
    );
  });

  it('keeps the field of a refusal about another input, and of one about input_reference itself', async () => {
    images.failInspect = imageRefused('input_reference', { problem: 'cut_off' });
    const own = await preparer.prepare(request({})).catch((e: unknown) => e);
    expect(own).toMatchObject({ field: 'input_reference' });
    expect(own).toBe(images.failInspect);
    const other = await preparer.prepareAsIs(dataUrl, 'reference_images[1]').catch((e: unknown) => e);
    expect(other).toMatchObject({ field: 'reference_images[1]', code: 'invalid_reference_image' });
  });

  it('refuses inline bytes over 20 MiB before decoding them', async () => {
    const big = `data:image/png;base64,${Buffer.alloc(MAX_REFERENCE_BYTES + 1).toString('base64')}`;
    const refusal = await said(preparer.prepare(request({ input: big })));
    expect(refusal).toBe(
      `input_reference is larger than ${MAX_REFERENCE_BYTES} bytes; send a smaller image. (code: invalid_reference_image)`,
    );
    expect(images.calls).toEqual([]);
    // Exactly at the limit is read.
    const atLimit = `data:image/png;base64,${Buffer.alloc(MAX_REFERENCE_BYTES).toString('base64')}`;
    await preparer.prepare(request({ input: atLimit }));
    expect(images.calls[0]).toBe(`inspect ${MAX_REFERENCE_BYTES}`);
  });

  it('sends a reference image as it is, whatever its size, once it decodes', async () => {
    images.info = { mimeType: 'image/webp', width: 3, height: 5000, needsOrientation: true };
    const upload = await preparer.prepareAsIs(dataUrl, 'reference_images[0]');
    expect(upload).toEqual({ bytes: PNG, mimeType: 'image/webp', filename: 'reference.webp' });
    expect(images.calls).toEqual([`inspect ${PNG.length}`, `verify ${PNG.length}`]);
    expect(images.fits).toEqual([]);
  });
});
