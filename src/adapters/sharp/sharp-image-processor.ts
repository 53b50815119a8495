import type { Sharp, SharpOptions } from 'sharp';
import { imageRefused, isDomainError, type DomainError, type ImageProblem } from '../../domain/errors';
import { IMAGE_MIME_TYPES, imageFormat, type ImageMimeType } from '../../domain/media';
import type { FitBackground, FittedImage, ImageInfo, ImageProcessor } from '../../domain/ports';
import { describeBytes, sniffMedia, SNIFF_LENGTH } from '../../codecs/sniff';

type SharpFactory = (input: Uint8Array, options?: SharpOptions) => Sharp;

export interface SharpImageProcessorOptions {
  /**
   * Largest decoded image accepted, in pixels. Set deliberately: a tiny PNG can declare 20000×20000
   * pixels and would otherwise cost gigabytes to decode.
   */
  limitInputPixels: number;
}

function invalid(problem: ImageProblem): DomainError {
  return imageRefused('input_reference', problem);
}

/** Image work with sharp (libvips), loaded on first use so start-up never pays for it. */
export class SharpImageProcessor implements ImageProcessor {
  private factory: SharpFactory | undefined;

  constructor(private readonly options: SharpImageProcessorOptions) {}

  async inspect(bytes: Uint8Array): Promise<ImageInfo> {
    const mimeType = await this.allowedType(bytes);
    let metadata;
    try {
      // Header only: no pixels are decoded, so the limit is checked below with a message that names the size.
      metadata = await this.sharp(bytes, false).metadata();
    } catch {
      throw invalid({ problem: 'undecodable', media_type: mimeType });
    }
    if (metadata.format !== imageFormat(mimeType) || !metadata.width || !metadata.height) {
      throw invalid({ problem: 'not_valid', media_type: mimeType });
    }
    if (metadata.width * metadata.height > this.options.limitInputPixels) {
      throw invalid({
        problem: 'too_many_pixels',
        width: metadata.width,
        height: metadata.height,
        most_pixels: this.options.limitInputPixels,
      });
    }
    const orientation = metadata.orientation ?? 1;
    const swapped = orientation >= 5 && orientation <= 8;
    return {
      mimeType,
      width: swapped ? metadata.height : metadata.width,
      height: swapped ? metadata.width : metadata.height,
      needsOrientation: orientation !== 1,
    };
  }

  async verifyDecodable(bytes: Uint8Array): Promise<void> {
    try {
      await this.sharp(bytes).raw().toBuffer();
    } catch {
      throw invalid({ problem: 'undecodable' });
    }
  }

  async fit(
    bytes: Uint8Array,
    target: { width: number; height: number },
    mode: 'cover' | 'contain' | 'stretch',
    background: FitBackground,
  ): Promise<FittedImage> {
    const { width, height } = target;
    try {
      const upright = this.sharp(bytes).rotate();
      let output: Sharp;
      if (mode === 'contain' && background === 'blur') {
        const [backdrop, foreground] = await Promise.all([
          this.sharp(bytes)
            .rotate()
            .resize(width, height, { fit: 'cover' })
            .blur(Math.max(8, Math.round(Math.min(width, height) / 30)))
            .toBuffer(),
          upright
            .resize(width, height, { fit: 'contain', background: { r: 0, g: 0, b: 0, alpha: 0 } })
            .png()
            .toBuffer(),
        ]);
        output = this.sharp(backdrop).composite([{ input: foreground }]);
      } else if (mode === 'contain') {
        output = upright.resize(width, height, { fit: 'contain', background: parseColour(background) });
      } else {
        output = upright.resize(width, height, { fit: mode === 'cover' ? 'cover' : 'fill', position: 'centre' });
      }
      const data = await output.removeAlpha().png().toBuffer();
      return { bytes: new Uint8Array(data.buffer, data.byteOffset, data.length), mimeType: 'image/png', width, height };
    } catch (error) {
      if (isDomainError(error)) throw error;
      throw invalid({ problem: 'undecodable' });
    }
  }

  /** The type from the bytes, by the one sniffer (src/codecs/sniff.ts), whatever name or header came with them. */
  private async allowedType(bytes: Uint8Array): Promise<ImageMimeType> {
    const mime = sniffMedia(bytes.subarray(0, SNIFF_LENGTH));
    if (mime && (IMAGE_MIME_TYPES as readonly string[]).includes(mime)) return mime as ImageMimeType;
    const what = describeBytes(bytes.subarray(0, SNIFF_LENGTH));
    const shown = what === 'unrecognised bytes' ? 'not a recognised image' : what;
    throw invalid({ problem: 'not_an_image', found: shown });
  }

  private sharp(input: Uint8Array, limitInputPixels: number | false = this.options.limitInputPixels): Sharp {
    // Lazy require keeps libvips out of start-up; only image work loads it.
    this.factory ??= require('sharp') as SharpFactory;
    return this.factory(input, { limitInputPixels, failOn: 'truncated' });
  }
}

function parseColour(background: FitBackground): { r: number; g: number; b: number } {
  if (background === 'white') return { r: 255, g: 255, b: 255 };
  const hex = /^#([0-9a-f]{6})$/i.exec(background)?.[1];
  if (!hex) return { r: 0, g: 0, b: 0 };
  const value = Number.parseInt(hex, 16);
  return { r: (value >> 16) & 255, g: (value >> 8) & 255, b: value & 255 };
}
