import { DomainError, isDomainError } from '../domain/errors';
import { extensionForContentType } from '../domain/media';
import type { FitBackground, FitMode, ImageFetcher, ImageProcessor, LocalFileReader, ReferenceImageUpload } from '../domain/ports';
import { API_DEFAULT_SIZE, parseSize, type VideoSize } from '../domain/video';
import { classifyReference, SOURCE_HELP } from './reference-source';

/** Largest reference image accepted from any source; the API's own limit for image URLs is 20 MiB. */
export const MAX_REFERENCE_BYTES = 20 * 1024 * 1024;

export interface ReferenceRequest {
  input: string;
  /** Requested video size; the API renders 720x1280 when none is given, so that is the target then. */
  size: VideoSize | undefined;
  fit: FitMode;
  background: FitBackground;
  signal?: AbortSignal;
}

/** Turns any of the four kinds of `input_reference` into an upright upload of exactly the video's size. */
/** A fitted reference is rendered at the video size: bounded so no size can ask for a giant canvas. */
const MAX_FITTED_PIXELS = 7680 * 4320;

export class ReferenceImagePreparer {
  constructor(
    private readonly files: LocalFileReader,
    private readonly images: ImageProcessor,
    private readonly fetcher: ImageFetcher,
  ) {}

  async prepare(request: ReferenceRequest): Promise<ReferenceImageUpload> {
    const bytes = await this.load(request);
    const info = await this.images.inspect(bytes);
    const size = request.size ?? API_DEFAULT_SIZE;
    const target = parseSize(size);
    if (!target || target.width * target.height > MAX_FITTED_PIXELS) {
      throw new DomainError('invalid_input', `size ${size} is too large to fit a reference image to (at most 8K, 7680x4320).`, {
        field: 'size',
      });
    }
    const matches = info.width === target.width && info.height === target.height;
    if (matches && !info.needsOrientation) {
      // Already right: upload the caller's bytes untouched, once we know they decode.
      await this.images.verifyDecodable(bytes);
      return { bytes, mimeType: info.mimeType, filename: `reference${extensionForContentType(info.mimeType)}` };
    }
    if (!matches && request.fit === 'match') {
      throw new DomainError(
        'reference_image_size_mismatch',
        `the reference image is ${info.width}x${info.height} but the video size is ${size}${request.size ? '' : ' (the API default, as no size was given)'}; ` +
          'the API requires the reference image to match the video size exactly',
        { field: 'input_reference', details: { image: `${info.width}x${info.height}`, size, defaulted: request.size === undefined } },
      );
    }
    // An exact-size image with only an EXIF rotation is re-encoded upright; a stretch to its own size is exactly that.
    const mode = request.fit === 'match' ? 'stretch' : request.fit;
    const fitted = await this.images.fit(bytes, target, mode, request.background);
    return { bytes: fitted.bytes, mimeType: fitted.mimeType, filename: `reference${extensionForContentType(fitted.mimeType)}` };
  }

  private async load(request: ReferenceRequest): Promise<Uint8Array> {
    const source = await classifyReference(request.input, (bytes) => this.images.sniff(bytes));
    switch (source.kind) {
      case 'inline':
        if (source.bytes.length > MAX_REFERENCE_BYTES) {
          throw new DomainError(
            'invalid_reference_image',
            `input_reference is larger than ${MAX_REFERENCE_BYTES} bytes; send a smaller image.`,
            { field: 'input_reference' },
          );
        }
        return source.bytes;
      case 'url':
        return this.fetcher.fetch(source.url, { signal: request.signal, maxBytes: MAX_REFERENCE_BYTES });
      case 'path':
        try {
          return await this.files.read(source.path, MAX_REFERENCE_BYTES);
        } catch (error) {
          if (isDomainError(error) && error.code === 'not_found') {
            throw new DomainError(
              'invalid_input',
              `input_reference: no file "${source.path}" in the allowed folders, and it is not a URL, data URL or base64 image. ${SOURCE_HELP}`,
              {
                field: 'input_reference',
              },
            );
          }
          throw error;
        }
    }
  }
}
