import { imageRefused, invalidInput, isDomainError, sizeMismatch, withContext } from '../domain/errors';
import { extensionForContentType } from '../domain/media';
import type { FitBackground, FitMode, ImageFetcher, ImageProcessor, LocalFileReader, ReferenceImageUpload } from '../domain/ports';
import { API_DEFAULT_SIZE, parseSize, type VideoSize } from '../domain/video';
import { classifyReference } from './reference-source';

/** Largest reference image accepted from any source; the API's own limit for image URLs is 20 MiB. */
export const MAX_REFERENCE_BYTES = 20 * 1024 * 1024;

export interface ReferenceRequest {
  input: string;
  /** The input it came from (`input_reference`, `last_frame`), for messages. */
  field?: string;
  /** The video size the frame must end up; the API renders 720x1280 when none is given. */
  size: VideoSize | undefined;
  /** The size was chosen for the caller (none was asked for), which a mismatch message says. */
  sizeWasDefaulted?: boolean;
  fit: FitMode;
  background: FitBackground;
  signal?: AbortSignal;
}

/** A fitted frame is rendered at the video size: bounded so no size can ask for a giant canvas. */
const MAX_FITTED_PIXELS = 7680 * 4320;

/**
 * Turns any of the four kinds of image source (a URL, a data URL, base64, a path under the roots)
 * into an upload: a frame (first or last) upright and of exactly the video's size, a reference image
 * as it is once its bytes prove to be a JPEG, PNG or WebP.
 */
export class ReferenceImagePreparer {
  constructor(
    private readonly files: LocalFileReader,
    private readonly images: ImageProcessor,
    private readonly fetcher: ImageFetcher,
  ) {}

  async prepare(request: ReferenceRequest): Promise<ReferenceImageUpload> {
    const field = request.field ?? 'input_reference';
    return asField(field, async () => {
      const bytes = await this.load(request.input, field, request.signal);
      const info = await this.images.inspect(bytes);
      const size = request.size ?? API_DEFAULT_SIZE;
      const defaulted = request.sizeWasDefaulted ?? request.size === undefined;
      const target = parseSize(size);
      if (!target || target.width * target.height > MAX_FITTED_PIXELS) {
        throw invalidInput('size', { rule: 'fit_size_too_large', size });
      }
      const matches = info.width === target.width && info.height === target.height;
      if (matches && !info.needsOrientation) {
        // Already right: upload the caller's bytes untouched, once we know they decode.
        await this.images.verifyDecodable(bytes);
        return { bytes, mimeType: info.mimeType, filename: `${filenameFor(field)}${extensionForContentType(info.mimeType)}` };
      }
      if (!matches && request.fit === 'match') {
        throw sizeMismatch(field, { image: `${info.width}x${info.height}`, size, defaulted });
      }
      // An exact-size image with only an EXIF rotation is re-encoded upright; a stretch to its own size is exactly that.
      const mode = request.fit === 'match' ? 'stretch' : request.fit;
      const fitted = await this.images.fit(bytes, target, mode, request.background);
      return {
        bytes: fitted.bytes,
        mimeType: fitted.mimeType,
        filename: `${filenameFor(field)}${extensionForContentType(fitted.mimeType)}`,
      };
    });
  }

  /** A reference image (a character, a style): any size, sent as it is once it proves to be a whole JPEG, PNG or WebP. */
  async prepareAsIs(input: string, field: string, signal?: AbortSignal): Promise<ReferenceImageUpload> {
    return asField(field, async () => {
      const bytes = await this.load(input, field, signal);
      const info = await this.images.inspect(bytes);
      await this.images.verifyDecodable(bytes);
      return { bytes, mimeType: info.mimeType, filename: `reference${extensionForContentType(info.mimeType)}` };
    });
  }

  private async load(input: string, field: string, signal: AbortSignal | undefined): Promise<Uint8Array> {
    const source = classifyReference(input, field);
    switch (source.kind) {
      case 'inline':
        if (source.bytes.length > MAX_REFERENCE_BYTES) {
          throw imageRefused(field, { problem: 'too_large', most_bytes: MAX_REFERENCE_BYTES, size_bytes: source.bytes.length });
        }
        return source.bytes;
      case 'url':
        return this.fetcher.fetch(source.url, { signal, maxBytes: MAX_REFERENCE_BYTES });
      case 'path':
        try {
          return await this.files.read(source.path, MAX_REFERENCE_BYTES);
        } catch (error) {
          if (isDomainError(error) && error.code === 'not_found') {
            throw invalidInput(field, { rule: 'image_source', path: source.path }, { cause: error });
          }
          throw error;
        }
    }
  }
}

function filenameFor(field: string): string {
  return field === 'last_frame' ? 'last-frame' : 'reference';
}

/**
 * The image ports speak of `input_reference`, the field they were first written for; the same rules
 * hold for a last frame or a reference image, so their refusals name the input they are about.
 */
async function asField<T>(field: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (!isDomainError(error) || field === 'input_reference' || error.field !== 'input_reference') throw error;
    throw withContext(error, { field });
  }
}
