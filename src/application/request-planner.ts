import { geometryOf, normaliseResolution, priceFor, roundUsd, sizeFor, type ModelCapabilities } from '../domain/controls';
import { priceOf } from '../domain/money';
import { invalidInput, modelConstraint } from '../domain/errors';
import { profileOf, type ProviderProfile, type VideoProvider } from '../domain/ports';
import { checkModelTakes, checkProviderTakes, controlsUsed } from '../domain/request-checks';
import type { VideoRequest } from '../domain/video-request';
import { API_DEFAULT_SIZE, parseSize, type Video } from '../domain/video';
import { nearestModel, type ModelDirectory, type ModelFacts } from './model-directory';
import type { CostEstimate } from './spending-ledger';

/** What a create asks for, before anything is fetched or sent: its images in any form (the caller's text, or a promise of one). */
export type CreateRequest = VideoRequest<unknown>;

/** The request as it will be sent, and what it is expected to cost. */
export interface CreatePlan {
  /** The model that will be used: the one named, or the provider's default. */
  model: string;
  /** What geometry goes on the wire (after converting between a size and an aspect ratio with a resolution). */
  size?: string;
  aspectRatio?: string;
  resolution?: string;
  /** The pixel size a first or last frame is fitted to. */
  frameSize: string;
  /** Whether the frame size was chosen here (no geometry was asked for): it is then sent, so no default can differ. */
  frameSizeDefaulted: boolean;
  estimate: CostEstimate;
  facts: ModelFacts;
}

/**
 * Plans a paid request before anything is sent: which model it is for (named or the provider's
 * default, the same checks either way), its geometry in the words the provider speaks, every control
 * checked against the provider's fields and the model's known values, and its cost estimate.
 */
export class RequestPlanner {
  constructor(
    private readonly provider: VideoProvider,
    private readonly directory: ModelDirectory,
  ) {}

  async planCreate(request: CreateRequest, signal?: AbortSignal): Promise<CreatePlan> {
    const profile = profileOf(this.provider);
    const model = request.model ?? profile.defaultModel;
    const facts = await this.directory.facts(model, signal);
    if (facts.origin === undefined) {
      // Nothing knows this id: a typo of one that is known costs a paid round trip that fails at the provider.
      const near = nearestModel(model, await this.directory.knownIds(signal));
      if (near !== undefined) {
        throw invalidInput('model', { rule: 'did_you_mean', model, suggestion: near });
      }
    }
    const caps = facts.capabilities;
    const geometry = this.geometry(request, profile, caps, model, facts.reference);
    // Checked as it will be sent: the model named, the geometry in the provider's words.
    const sent = { ...request, model, size: geometry.size, aspectRatio: geometry.aspectRatio, resolution: geometry.resolution };
    checkProviderTakes(profile, controlsUsed(sent));
    checkCombinations(profile, request);
    checkModelTakes(sent, caps, facts.reference);
    const frameSize = geometry.size ?? sizeFromAspect(geometry, caps) ?? caps.sizes?.[0] ?? API_DEFAULT_SIZE;
    const defaulted = geometry.size === undefined && geometry.aspectRatio === undefined && geometry.resolution === undefined;
    const framed = request.inputReference !== undefined || request.lastFrame !== undefined;
    const spoken = defaulted && framed ? this.speak(frameSize, profile, caps) : geometry;
    return {
      model,
      ...spoken,
      frameSize,
      frameSizeDefaulted: defaulted,
      // Priced from what is sent: a resolution the wire does not fix (nothing said, or an aspect ratio alone) is the
      // provider's default, which the estimate cannot know, so the dearest is priced.
      estimate: estimate(facts, { seconds: request.seconds, resolution: resolutionOf(spoken), audio: request.generateAudio }),
      facts,
    };
  }

  /** A remix costs what its source's settings cost; a model that cannot be remixed is refused. */
  async planRemix(source: Video, signal?: AbortSignal): Promise<{ estimate: CostEstimate; facts: ModelFacts }> {
    const model = source.model || profileOf(this.provider).defaultModel;
    const facts = await this.directory.facts(model, signal);
    if (facts.capabilities.remix === false) {
      throw modelConstraint('video_id', { model, requirement: 'no_remix', source: facts.reference });
    }
    // A source whose length the provider does not say is priced at the longest the model allows (unknown without one).
    const cost = estimate(
      facts,
      { seconds: source.seconds || undefined, resolution: source.size ? geometryOf(source.size)?.resolution : undefined, audio: undefined },
      'dearest',
    );
    return { estimate: cost, facts };
  }

  /**
   * The geometry in the provider's words. A provider that takes only a pixel size gets one made from
   * an aspect ratio and a resolution; one that takes aspect ratios gets a size converted when the
   * model lists no sizes (OpenRouter: "interchangeable"). A size no listed combination makes is refused.
   */
  private geometry(
    request: CreateRequest,
    profile: ProviderProfile,
    caps: ModelCapabilities,
    model: string,
    reference: string | undefined,
  ): { size?: string; aspectRatio?: string; resolution?: string } {
    const { size, aspectRatio } = request;
    const resolution = request.resolution === undefined ? undefined : normaliseResolution(request.resolution);
    if (size !== undefined && (aspectRatio !== undefined || resolution !== undefined)) {
      throw invalidInput(aspectRatio !== undefined ? 'aspect_ratio' : 'resolution', { rule: 'size_or_aspect' });
    }
    const speaksAspect = profile.controls.includes('aspect_ratio') && profile.controls.includes('resolution');
    if (size === undefined) {
      if (aspectRatio === undefined && resolution === undefined) return {};
      if (speaksAspect) {
        // A model that lists pixel sizes is asked in them (as a size is, below), so the pair is checked against its list.
        const listed = caps.sizes !== undefined && aspectRatio !== undefined && resolution !== undefined;
        const converted = listed ? sizeFor(aspectRatio, resolution) : undefined;
        return converted ? { size: converted } : { aspectRatio, resolution };
      }
      if (aspectRatio === undefined || resolution === undefined) {
        throw invalidInput(aspectRatio === undefined ? 'aspect_ratio' : 'resolution', {
          rule: 'aspect_needs_both',
          provider: profile.label,
        });
      }
      const converted = sizeFor(aspectRatio, resolution);
      if (!converted) {
        throw invalidInput('resolution', { rule: 'resolution_no_size', resolution });
      }
      return { size: converted };
    }
    if (!speaksAspect || caps.sizes !== undefined) return { size };
    const converted = geometryOf(size);
    if (converted) return converted;
    if (caps.aspect_ratios !== undefined || caps.resolutions !== undefined) {
      const allowed = combinations(caps);
      throw modelConstraint('size', { model, value: size, allowed, source: reference });
    }
    return { size };
  }

  /** A frame size said the way the provider takes geometry. */
  private speak(
    size: string,
    profile: ProviderProfile,
    caps: ModelCapabilities,
  ): { size?: string; aspectRatio?: string; resolution?: string } {
    const speaksAspect = profile.controls.includes('aspect_ratio') && profile.controls.includes('resolution');
    if (!speaksAspect || caps.sizes !== undefined) return { size };
    return geometryOf(size) ?? { size };
  }
}

/** What a provider takes only in certain combinations, refused before any image is fetched. */
function checkCombinations(profile: ProviderProfile, request: CreateRequest): void {
  const first = request.inputReference !== undefined;
  const last = request.lastFrame !== undefined;
  if (profile.lastFrameNeedsFirst && last && !first) {
    throw invalidInput('last_frame', { rule: 'last_frame_needs_first', provider: profile.label });
  }
  if (profile.framesOrReferences && (first || last) && (request.referenceImages?.length ?? 0) > 0) {
    throw invalidInput('reference_images', { rule: 'frames_or_references', provider: profile.label });
  }
}

/**
 * The pixel size a frame is fitted to when the wire says an aspect ratio or a resolution: what is not said is the model's
 * first listed value, else the API default's (a landscape ratio alone frames landscape, never at the portrait default).
 */
function sizeFromAspect(geometry: { aspectRatio?: string; resolution?: string }, caps: ModelCapabilities): string | undefined {
  // Nothing said: the model's first listed pair, else (below) its first size or the API default size itself.
  const fallback = geometry.aspectRatio === undefined && geometry.resolution === undefined ? undefined : geometryOf(API_DEFAULT_SIZE);
  const aspect = geometry.aspectRatio ?? caps.aspect_ratios?.[0] ?? fallback?.aspectRatio;
  const resolution = geometry.resolution ?? caps.resolutions?.[0] ?? fallback?.resolution;
  const exact = aspect && resolution ? sizeFor(aspect, resolution) : undefined;
  // A resolution of no fixed size (2K): the frame keeps the ratio at the API default's resolution.
  return exact ?? (aspect && fallback ? sizeFor(aspect, fallback.resolution) : undefined);
}

/** Every size a model's aspect ratios and resolutions make, for a message. */
function combinations(caps: ModelCapabilities): string[] {
  const sizes: string[] = [];
  for (const aspect of caps.aspect_ratios ?? ['16:9', '9:16'])
    for (const resolution of caps.resolutions ?? ['720p']) {
      const size = sizeFor(aspect, resolution);
      if (size) sizes.push(size);
    }
  return sizes;
}

/** The resolution the request fixes on the wire: its own, or its size's; undefined when the provider will choose. */
function resolutionOf(sent: { size?: string; resolution?: string }): string | undefined {
  if (sent.resolution) return sent.resolution;
  return sent.size && parseSize(sent.size) ? geometryOf(sent.size)?.resolution : undefined;
}

/**
 * Price × seconds. Where the request leaves a dimension open (no duration asked for, a resolution or
 * sound the price depends on unknown), the estimate takes the model's default, else the dearest
 * choice: an estimate may be high, never low.
 */
export function estimate(
  facts: ModelFacts,
  request: { seconds: string | undefined; resolution: string | undefined; audio: boolean | undefined },
  /** What an open duration is priced at: the model's default (what a create without seconds gets), or its longest. */
  openSeconds: 'default' | 'dearest' = 'default',
): CostEstimate {
  const caps = facts.capabilities;
  const audio = request.audio ?? (caps.audio === 'always' ? true : caps.audio === 'never' ? false : undefined);
  const longest = caps.seconds ? String(Math.max(...caps.seconds.map(Number))) : undefined;
  const seconds = Number(request.seconds ?? (openSeconds === 'default' ? (caps.default_seconds ?? longest) : longest) ?? Number.NaN);
  const candidates = facts.prices.filter(
    (tier) =>
      // A price that is not a finite positive number is no price (unknown), never a free one.
      priceOf(tier.usd_per_second) !== undefined &&
      (tier.resolution === undefined || request.resolution === undefined || normaliseResolution(tier.resolution) === request.resolution) &&
      (tier.audio === undefined || audio === undefined || tier.audio === audio),
  );
  const open = request.resolution === undefined || audio === undefined;
  const tier = open
    ? candidates.sort((a, b) => b.usd_per_second - a.usd_per_second)[0]
    : priceFor(candidates, { resolution: request.resolution, audio });
  if (!tier || !Number.isFinite(seconds)) return { usd: null, model: facts.id };
  return {
    usd: roundUsd(tier.usd_per_second * seconds),
    model: facts.id,
    seconds,
    usdPerSecond: tier.usd_per_second,
    resolution: tier.resolution,
    audio: tier.audio,
    priceSource: tier.source ?? (facts.origin === 'provider' ? 'provider' : undefined),
  };
}
