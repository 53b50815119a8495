import type { ControlName, ModelCapabilities, PriceTier } from '../controls';
import type { ReferenceImageUpload, VideoRequest } from '../video-request';

export type { ReferenceImageUpload, VideoRequest } from '../video-request';
import {
  DEFAULT_VIDEO_MODEL,
  type ListVideosQuery,
  type Video,
  type VideoDeleteResponse,
  type VideoPage,
  type VideoVariant,
} from '../video';

/**
 * What a job is made from, with its images ready to upload (video-request.ts). Each provider maps every field it is
 * given to its own wire names; a field it has no place for never reaches it (its profile says which it takes, and the
 * application refuses the rest before anything is sent).
 */
export type CreateVideoParams = VideoRequest<ReferenceImageUpload>;

export interface RemixVideoParams {
  prompt: string;
  providerOptions?: Readonly<Record<string, unknown>>;
}

/**
 * A job a follow-up call is about. `id` is the id the create or remix returned, the one every
 * follow-up uses; `last` is what the provider last said about the job, when the caller has it, so a
 * provider can follow a polling URL or fetch the asset URLs it named.
 */
export interface JobRef {
  id: string;
  last?: Video;
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

/** A model as the provider reports it: always its id, and what it takes and costs when the provider says. */
export interface ReportedModel {
  id: string;
  name?: string;
  capabilities?: ModelCapabilities;
  /** Prices per second of video, by tier; provider-reported prices win over the catalog's. */
  prices?: readonly PriceTier[];
  /** How long a job of this model usually takes, when the provider (or its dialect's table) says. */
  typicalRenderSeconds?: number;
  /** Where these facts come from (a documentation page). */
  reference?: string;
}

/**
 * What a cancel did: the job was stopped before it ran (`cancelled`: it made nothing, so it costs nothing), or the
 * provider was asked to stop a running job (`requested`: it may still finish, and be billed).
 */
export interface CancelOutcome {
  id: string;
  outcome: 'cancelled' | 'requested';
  /** The provider's own word for it (`OK`, `CANCELLATION_REQUESTED`). */
  providerStatus?: string;
}

/** Operations a provider may lack (OpenRouter has no remix, list, delete or cancel; only fal's queue cancels). */
export const OPTIONAL_OPERATIONS = ['remix', 'list', 'delete', 'cancel'] as const;
export type OptionalOperation = (typeof OPTIONAL_OPERATIONS)[number];

/** What a provider is and can do, so the application refuses what it cannot take before sending anything. */
export interface ProviderProfile {
  /** How messages name it: "OpenRouter", "the provider". */
  label: string;
  /** The model a create without `model` gets; the catalog checks it like a named one. */
  defaultModel: string;
  /** The controls it has a wire field for, besides prompt, model, size and seconds. */
  controls: readonly ControlName[];
  /** Optional operations it offers. */
  operations: readonly OptionalOperation[];
  /** The variants it serves. */
  variants: readonly VideoVariant[];
  /** Its models list says what each model takes and costs (so create consults it before sending). */
  reportsCapabilities?: boolean;
  /** A last frame only with a first one (LLM Gateway). */
  lastFrameNeedsFirst?: boolean;
  /** Frames and reference images never together: one would be refused, or dropped in silence (OpenRouter). */
  framesOrReferences?: boolean;
  /** How to send a control another way, where it has none of its own (OpenRouter's negative prompt in provider_options). */
  controlHints?: Partial<Record<ControlName, string>>;
  /** Its models list is every model it serves: the models tool shows no catalog model beside them (fal, Gemini). */
  listsEveryModel?: boolean;
}

/** The official `/v1/videos` shape, for a provider that states no profile of its own. */
export const OFFICIAL_PROFILE: ProviderProfile = {
  label: 'the provider',
  defaultModel: DEFAULT_VIDEO_MODEL,
  controls: ['input_reference'],
  operations: ['remix', 'list', 'delete'],
  variants: ['video', 'thumbnail', 'spritesheet'],
};

export function profileOf(provider: { readonly profile?: ProviderProfile }): ProviderProfile {
  return provider.profile ?? OFFICIAL_PROFILE;
}

/**
 * Anything that speaks a video-generation lifecycle. Implementations translate their failures into
 * DomainError (retryable where repeating the call may succeed) and must never retry `create` or
 * `remix` in a way that could start two paid jobs. Follow-up calls receive the job as the caller
 * holds it (see JobRef): the answer's own id may differ (gateways re-encode ids), and the caller
 * keeps its own.
 */
export interface VideoProvider {
  /** Absent: the official `/v1/videos` shape (Sora's default model, only `input_reference`, everything offered). */
  readonly profile?: ProviderProfile;
  /**
   * Fails at once, without any I/O, when no call could succeed (no key, an unsupported provider), so
   * a use case can stop before doing other work such as fetching a reference image.
   */
  assertReady(): Promise<void>;
  create(params: CreateVideoParams, options?: CallOptions): Promise<Video>;
  remix(source: JobRef, params: RemixVideoParams, options?: CallOptions): Promise<Video>;
  retrieve(job: JobRef, options?: CallOptions): Promise<Video>;
  list(query: ListVideosQuery, options?: CallOptions): Promise<VideoPage>;
  delete(job: JobRef, options?: CallOptions): Promise<VideoDeleteResponse>;
  /** A variant its profile does not list is refused (`variant_unavailable`, reason `not_offered`) without sending anything. */
  downloadContent(job: JobRef, variant: VideoVariant, options?: CallOptions): Promise<MediaContent>;
  /** Stops a queued or running job, where the provider can (its profile lists `cancel`). */
  cancel?(job: JobRef, options?: CallOptions): Promise<CancelOutcome>;
  /** The models the provider reports; fails when it offers no such list. */
  listModels(options?: CallOptions): Promise<ReportedModel[]>;
  /** How long the provider expects this job to take from its creation, in ms, when it knows (the simulator does). */
  expectedRenderMs?(job: Video): number | undefined;
  /** A harmless, cheap check that the provider answers and takes the key, for `doctor`; says what it found. */
  probe?(options?: CallOptions): Promise<string>;
}
