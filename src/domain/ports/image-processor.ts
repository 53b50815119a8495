import type { ImageMimeType } from '../media';

export interface ImageInfo {
  mimeType: ImageMimeType;
  /** Upright dimensions, after EXIF orientation. */
  width: number;
  height: number;
  /** The pixels are stored rotated or mirrored and an EXIF orientation puts them upright. */
  needsOrientation: boolean;
}

export type FitMode = 'match' | 'cover' | 'contain' | 'stretch';
/** `blur`, `black`, `white` or `#rrggbb`. */
export type FitBackground = string;

export interface FittedImage {
  bytes: Uint8Array;
  mimeType: ImageMimeType;
  width: number;
  height: number;
}

export interface ImageProcessor {
  /** Decodes the header of a JPEG, PNG or WebP; anything else is `invalid_reference_image`. */
  inspect(bytes: Uint8Array): Promise<ImageInfo>;
  /** Fully decodes the image, refusing truncated or corrupt data (for uploads passed through untouched). */
  verifyDecodable(bytes: Uint8Array): Promise<void>;
  /** Produces an upright image of exactly `width`×`height` with the given strategy. */
  fit(
    bytes: Uint8Array,
    target: { width: number; height: number },
    mode: Exclude<FitMode, 'match'>,
    background: FitBackground,
  ): Promise<FittedImage>;
}
