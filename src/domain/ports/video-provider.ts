import type {
  ListVideosQuery,
  Video,
  VideoDeleteResponse,
  VideoPage,
  VideoSeconds,
  VideoSize,
  VideoVariant,
} from '../video';
import type { ImageMimeType } from '../media';

/** A reference image ready to upload: raw bytes of a sniffed JPEG, PNG or WebP. */
export interface ReferenceImageUpload {
  bytes: Uint8Array;
  mimeType: ImageMimeType;
  filename: string;
}

export interface CreateVideoParams {
  prompt: string;
  model?: string;
  seconds?: VideoSeconds;
  size?: VideoSize;
  inputReference?: ReferenceImageUpload;
}

export interface CallOptions {
  signal?: AbortSignal;
}

/** A streamed asset. The body is consumed once; abandoning the iteration releases the connection. */
export interface MediaContent {
  contentType: string;
  /** From `content-length` when the provider sent one; used to detect a body cut short. */
  contentLength?: number;
  body: AsyncIterable<Uint8Array>;
}

/**
 * Anything that speaks the `/v1/videos` lifecycle. Implementations translate their failures into
 * DomainError (retryable where repeating the call may succeed) and must never retry `create` or
 * `remix` in a way that could start two paid jobs.
 */
export interface VideoProvider {
  create(params: CreateVideoParams, options?: CallOptions): Promise<Video>;
  remix(videoId: string, prompt: string, options?: CallOptions): Promise<Video>;
  retrieve(videoId: string, options?: CallOptions): Promise<Video>;
  list(query: ListVideosQuery, options?: CallOptions): Promise<VideoPage>;
  delete(videoId: string, options?: CallOptions): Promise<VideoDeleteResponse>;
  downloadContent(videoId: string, variant: VideoVariant, options?: CallOptions): Promise<MediaContent>;
}
