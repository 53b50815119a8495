import type { ListVideosQuery, Video, VideoDeleteResponse, VideoPage, VideoSeconds, VideoSize, VideoVariant } from '../video';
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
  /** Make one attempt: the caller has its own retry loop (and deadline), so retries must not stack. */
  singleAttempt?: boolean;
}

/** A streamed asset. The body is consumed once; abandoning the iteration releases the connection. */
export interface MediaContent {
  contentType: string;
  /** Releases the connection when the body will not be read (e.g. the target was refused). */
  cancel?(): void;
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
  /**
   * Fails at once, without any I/O, when no call could succeed (no key, an unsupported provider), so
   * a use case can stop before doing other work such as fetching a reference image.
   */
  assertReady(): Promise<void>;
  create(params: CreateVideoParams, options?: CallOptions): Promise<Video>;
  remix(videoId: string, prompt: string, options?: CallOptions): Promise<Video>;
  retrieve(videoId: string, options?: CallOptions): Promise<Video>;
  list(query: ListVideosQuery, options?: CallOptions): Promise<VideoPage>;
  delete(videoId: string, options?: CallOptions): Promise<VideoDeleteResponse>;
  downloadContent(videoId: string, variant: VideoVariant, options?: CallOptions): Promise<MediaContent>;
  /** The model ids the provider reports (`GET /models`); fails when it offers no such list. */
  listModels(options?: CallOptions): Promise<string[]>;
}
