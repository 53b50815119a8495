import { video } from '../support/in-memory-ports';
import { refusalOf } from '../support/refusals';
import { FakeClock } from '../support/fakes';
import { ModelDirectory, type ModelFacts } from '../../src/application/model-directory';
import { estimate, RequestPlanner, type CreatePlan, type CreateRequest } from '../../src/application/request-planner';
import type { CostEstimate } from '../../src/application/spending-ledger';
import { controlsBut } from '../../src/domain/controls';
import { ModelCatalog, type ModelEntry } from '../../src/domain/model-catalog';
import type { ProviderProfile, ReportedModel, VideoProvider } from '../../src/domain/ports';
import type { Video } from '../../src/domain/video';
import type { Dialect } from '../../src/adapters/openai/dialect';
import { bifrostDialect } from '../../src/adapters/openai/dialects/bifrost';
import { falDialect } from '../../src/adapters/openai/dialects/fal';
import { geminiDialect } from '../../src/adapters/openai/dialects/gemini';
import { jsonDialect } from '../../src/adapters/openai/dialects/json';
import { openaiDialect } from '../../src/adapters/openai/dialects/openai';
import { openrouterDialect } from '../../src/adapters/openai/dialects/openrouter';

/*
 * The planner, per provider profile: the geometry it sends (a size, or an aspect ratio with a resolution), the frame size,
 * the cost estimate, and every refusal (its code, field and facts), for the dialects' own profiles and the simulator's
 * (no profile: the official one). The catalog and the providers' lists are this file's own, so each number is known here.
 */

const READ = '2026-01-01';

/** The catalog every planner here reads (the built-in one changes with the market; these values do not). */
const CATALOG: ModelEntry[] = [
  {
    id: 'sora-2',
    sizes: ['720x1280', '1280x720'],
    seconds: ['4', '8', '12'],
    default_seconds: '4',
    input_reference: 'optional',
    last_frame: false,
    reference_images: 0,
    audio: 'always',
    seed: false,
    negative_prompt: false,
    remix: true,
    prices: [{ usd_per_second: 0.1, source: 'price:sora-2', read: READ }],
    source: 'ref:sora-2',
  },
  {
    id: 'sora-2-pro',
    sizes: ['720x1280', '1280x720', '1792x1024', '1024x1792', '1920x1080', '1080x1920'],
    seconds: ['4', '8', '12'],
    default_seconds: '4',
    audio: 'always',
    remix: true,
    prices: [
      { usd_per_second: 0.3, resolution: '720p', source: 'price:pro-720p', read: READ },
      { usd_per_second: 0.5, source: 'price:pro', read: READ },
    ],
    source: 'ref:sora-2-pro',
  },
  {
    id: 'gemini/veo-3.1-generate-preview',
    sizes: ['1280x720', '720x1280', '1920x1080', '1080x1920'],
    seconds: ['4', '6', '8'],
    default_seconds: '8',
    audio: 'always',
    seed: false,
    negative_prompt: true,
    remix: false,
    prices: [
      { usd_per_second: 0.4, resolution: '720p', source: 'price:veo', read: READ },
      { usd_per_second: 0.5, resolution: '1080p', source: 'price:veo', read: READ },
    ],
    source: 'ref:bifrost-veo',
  },
  // One edit from sora-2: a known model is never "corrected" to a neighbour.
  { id: 'sora-2b', source: 'ref:sora-2b' },
  {
    id: 'runway/gen4',
    sizes: ['1280x720', '720x1280'],
    seconds: ['5', '10'],
    input_reference: 'required',
    audio: 'never',
    remix: false,
    prices: [{ usd_per_second: 0.05, source: 'price:gen4', read: READ }],
    source: 'ref:gen4',
  },
];

/** OpenRouter's list: what a model takes is what it reports (resolutions and aspect ratios, or sizes, or neither). */
const OPENROUTER_MODELS: ReportedModel[] = [
  {
    id: 'google/veo-3.1-fast',
    capabilities: {
      seconds: ['4', '6', '8'],
      default_seconds: '8',
      resolutions: ['720p', '1080p'],
      aspect_ratios: ['16:9', '9:16'],
      input_reference: 'optional',
      last_frame: true,
      audio: 'optional',
      seed: true,
      remix: false,
    },
    prices: [
      { usd_per_second: 0.1, resolution: '720p', audio: false },
      { usd_per_second: 0.2, resolution: '720p', audio: true },
      { usd_per_second: 0.25, resolution: '1080p', audio: false },
      { usd_per_second: 0.4, resolution: '1080p', audio: true },
    ],
    reference: 'ref:or-veo',
  },
  {
    id: 'openai/sora-2',
    capabilities: { sizes: ['720x1280', '1280x720'], seconds: ['4', '8', '12'], audio: 'always' },
    prices: [{ usd_per_second: 0.1, source: 'price:or-sora' }],
    reference: 'ref:or-sora',
  },
  { id: 'acme/free-form', capabilities: { seconds: ['5'] }, prices: [{ usd_per_second: 0.02 }] },
];

/** The Gemini API's table, as its dialect reports it (seconds, aspect ratios and resolutions; sound always). */
const GEMINI_MODELS: ReportedModel[] = [
  {
    id: 'veo-3.1-fast-generate-preview',
    capabilities: {
      seconds: ['4', '6', '8'],
      default_seconds: '8',
      aspect_ratios: ['16:9', '9:16'],
      resolutions: ['720p', '1080p', '4K'],
      input_reference: 'optional',
      last_frame: true,
      reference_images: 0,
      audio: 'always',
      seed: false,
      negative_prompt: true,
      remix: false,
    },
    prices: [
      { usd_per_second: 0.15, resolution: '720p', source: 'price:gemini' },
      { usd_per_second: 0.15, resolution: '1080p', source: 'price:gemini' },
      { usd_per_second: 0.35, resolution: '4K', source: 'price:gemini' },
    ],
    reference: 'ref:gemini',
  },
  {
    id: 'veo-3.0-generate-001',
    capabilities: {
      seconds: ['4', '6', '8'],
      default_seconds: '8',
      aspect_ratios: ['16:9', '9:16'],
      resolutions: ['720p', '1080p'],
      last_frame: false,
      audio: 'always',
      remix: false,
    },
    prices: [{ usd_per_second: 0.4, source: 'price:gemini-3' }],
    reference: 'ref:gemini-3',
  },
];

const FAL_MODELS: ReportedModel[] = [
  {
    id: 'fal-ai/veo3.1',
    capabilities: {
      seconds: ['4', '6', '8'],
      default_seconds: '8',
      aspect_ratios: ['16:9', '9:16', '1:1'],
      resolutions: ['720p', '1080p'],
      input_reference: 'optional',
      audio: 'optional',
    },
    prices: [
      { usd_per_second: 0.2, audio: false, source: 'price:fal' },
      { usd_per_second: 0.4, audio: true, source: 'price:fal' },
    ],
  },
  { id: 'fal-ai/sized', capabilities: { sizes: ['1024x576'], seconds: ['5'] }, prices: [{ usd_per_second: 0.05 }] },
  {
    id: 'fal-ai/resolutions-only',
    capabilities: { resolutions: ['1080p', '2K'], seconds: ['5'] },
    prices: [
      { usd_per_second: 0.1, resolution: '1080p' },
      { usd_per_second: 0.3, resolution: '2K' },
    ],
  },
  { id: 'fal-ai/square-only', capabilities: { aspect_ratios: ['1:1'], seconds: ['5'] }, prices: [{ usd_per_second: 0.1 }] },
  {
    id: 'fal-ai/five-by-four',
    capabilities: { aspect_ratios: ['5:4'], resolutions: ['720p'], seconds: ['5'] },
    prices: [{ usd_per_second: 0.1 }],
  },
];

const JSON_MODELS: ReportedModel[] = [
  {
    id: 'veo-3.1-generate-preview',
    capabilities: {
      sizes: ['1280x720', '720x1280'],
      seconds: ['4', '8'],
      default_seconds: '8',
      input_reference: 'optional',
      last_frame: true,
      reference_images: 3,
      audio: 'optional',
    },
    prices: [
      { usd_per_second: 0.4, audio: true },
      { usd_per_second: 0.2, audio: false },
    ],
    reference: 'ref:json-veo',
  },
];

/** A provider that is only a profile (none: the official one, as the simulator has) and a models list. */
function providerWith(profile: ProviderProfile | undefined, models: ReportedModel[] = []): VideoProvider {
  const unused = (): Promise<never> => Promise.reject(new Error('not used by the planner'));
  return {
    ...(profile === undefined ? {} : { profile }),
    assertReady: () => Promise.resolve(),
    listModels: () => Promise.resolve(models),
    create: unused,
    remix: unused,
    retrieve: unused,
    list: unused,
    delete: unused,
    downloadContent: unused,
  };
}

function profileOfDialect(dialect: Dialect): ProviderProfile {
  return { ...dialect.profile(new URL('https://provider.test/v1')), operations: [] };
}

const PROFILES = {
  openai: profileOfDialect(openaiDialect),
  openrouter: profileOfDialect(openrouterDialect),
  gemini: profileOfDialect(geminiDialect),
  fal: profileOfDialect(falDialect),
  json: profileOfDialect(jsonDialect),
  bifrost: profileOfDialect(bifrostDialect),
};

function plannerFor(profile: ProviderProfile | undefined, models: ReportedModel[] = []): RequestPlanner {
  const provider = providerWith(profile, models);
  return new RequestPlanner(
    provider,
    new ModelDirectory(provider, new ModelCatalog([{ origin: 'catalog', entries: CATALOG }]), new FakeClock()),
  );
}

/** What a plan decides (its facts are the directory's, asserted where they matter). */
function decided(plan: CreatePlan): Omit<CreatePlan, 'facts'> {
  const { facts: _facts, ...rest } = plan;
  return rest;
}

const refusal = refusalOf;

type PlanRow = [name: string, request: Partial<CreateRequest>, plan: Omit<CreatePlan, 'facts'>];
type RefusalRow = [name: string, request: Partial<CreateRequest>, refused: { code: string; field: string; details: unknown }];

const plan = (planner: RequestPlanner, request: Partial<CreateRequest>) => planner.planCreate({ prompt: 'a fox', ...request });

/** An estimate from the catalog's flat sora-2 price. */
const sora2 = (seconds: number, usd: number) => ({
  usd,
  model: 'sora-2',
  seconds,
  usdPerSecond: 0.1,
  priceSource: 'price:sora-2',
});

const OPENAI_TAKES = ['input_reference', 'provider_options'];

describe('RequestPlanner with the openai profile (sizes only)', () => {
  const planner = plannerFor(PROFILES.openai);

  it.each<PlanRow>([
    [
      'nothing asked: the default model, its first size for frames, its default duration at the dearest price',
      {},
      { model: 'sora-2', frameSize: '720x1280', frameSizeDefaulted: true, estimate: sora2(4, 0.4) },
    ],
    [
      'a landscape size it lists, with seconds',
      { size: '1280x720', seconds: '8' },
      { model: 'sora-2', size: '1280x720', frameSize: '1280x720', frameSizeDefaulted: false, estimate: sora2(8, 0.8) },
    ],
    [
      'an aspect ratio with a resolution becomes a landscape size',
      { aspectRatio: '16:9', resolution: '720p' },
      { model: 'sora-2', size: '1280x720', frameSize: '1280x720', frameSizeDefaulted: false, estimate: sora2(4, 0.4) },
    ],
    [
      'a portrait aspect ratio with an upper-case resolution becomes a portrait size',
      { aspectRatio: '9:16', resolution: '720P', seconds: '12' },
      { model: 'sora-2', size: '720x1280', frameSize: '720x1280', frameSizeDefaulted: false, estimate: sora2(12, 1.2) },
    ],
    [
      'a 1080p size priced by the tier that names no resolution',
      { model: 'sora-2-pro', size: '1920x1080' },
      {
        model: 'sora-2-pro',
        size: '1920x1080',
        frameSize: '1920x1080',
        frameSizeDefaulted: false,
        estimate: { usd: 2, model: 'sora-2-pro', seconds: 4, usdPerSecond: 0.5, priceSource: 'price:pro' },
      },
    ],
    [
      'a 720p size priced by the tier that names 720p',
      { model: 'sora-2-pro', size: '1280x720', seconds: '8' },
      {
        model: 'sora-2-pro',
        size: '1280x720',
        frameSize: '1280x720',
        frameSizeDefaulted: false,
        estimate: { usd: 2.4, model: 'sora-2-pro', seconds: 8, usdPerSecond: 0.3, resolution: '720p', priceSource: 'price:pro-720p' },
      },
    ],
    [
      'a size of no named resolution is priced at the dearest tier',
      { model: 'sora-2-pro', size: '1792x1024' },
      {
        model: 'sora-2-pro',
        size: '1792x1024',
        frameSize: '1792x1024',
        frameSizeDefaulted: false,
        estimate: { usd: 2, model: 'sora-2-pro', seconds: 4, usdPerSecond: 0.5, priceSource: 'price:pro' },
      },
    ],
    [
      'nothing asked is priced at the dearest tier',
      { model: 'sora-2-pro' },
      {
        model: 'sora-2-pro',
        frameSize: '720x1280',
        frameSizeDefaulted: true,
        estimate: { usd: 2, model: 'sora-2-pro', seconds: 4, usdPerSecond: 0.5, priceSource: 'price:pro' },
      },
    ],
    [
      'a first frame with no geometry sends the frame size, and prices it',
      { model: 'sora-2-pro', inputReference: 'first.png' },
      {
        model: 'sora-2-pro',
        size: '720x1280',
        frameSize: '720x1280',
        frameSizeDefaulted: true,
        estimate: { usd: 1.2, model: 'sora-2-pro', seconds: 4, usdPerSecond: 0.3, resolution: '720p', priceSource: 'price:pro-720p' },
      },
    ],
    [
      'a portrait 1080p aspect ratio becomes 1080x1920',
      { model: 'sora-2-pro', aspectRatio: '9:16', resolution: '1080p' },
      {
        model: 'sora-2-pro',
        size: '1080x1920',
        frameSize: '1080x1920',
        frameSizeDefaulted: false,
        estimate: { usd: 2, model: 'sora-2-pro', seconds: 4, usdPerSecond: 0.5, priceSource: 'price:pro' },
      },
    ],
    [
      'no default duration: the longest is priced; a model that never makes sound',
      { model: 'runway/gen4', inputReference: 'first.png' },
      {
        model: 'runway/gen4',
        size: '1280x720',
        frameSize: '1280x720',
        frameSizeDefaulted: true,
        estimate: { usd: 0.5, model: 'runway/gen4', seconds: 10, usdPerSecond: 0.05, priceSource: 'price:gen4' },
      },
    ],
    [
      'a model nothing knows frames at the API default size, sent as a size',
      { model: 'acme-video', inputReference: 'first.png' },
      {
        model: 'acme-video',
        size: '720x1280',
        frameSize: '720x1280',
        frameSizeDefaulted: true,
        estimate: { usd: null, model: 'acme-video' },
      },
    ],
    [
      'a model nothing knows passes with its size, unpriced',
      { model: 'acme-video', size: '1000x1000' },
      {
        model: 'acme-video',
        size: '1000x1000',
        frameSize: '1000x1000',
        frameSizeDefaulted: false,
        estimate: { usd: null, model: 'acme-video' },
      },
    ],
  ])('plans %s', async (_name, request, expected) => {
    expect(decided(await plan(planner, request))).toEqual(expected);
  });

  it.each<RefusalRow>([
    [
      'an aspect ratio without a resolution',
      { aspectRatio: '16:9' },
      { code: 'invalid_input', field: 'resolution', details: { rule: 'aspect_needs_both', provider: 'the provider' } },
    ],
    [
      'a resolution without an aspect ratio',
      { resolution: '720p' },
      { code: 'invalid_input', field: 'aspect_ratio', details: { rule: 'aspect_needs_both', provider: 'the provider' } },
    ],
    [
      'a resolution of no fixed size (normalised)',
      { aspectRatio: '16:9', resolution: '2k' },
      { code: 'invalid_input', field: 'resolution', details: { rule: 'resolution_no_size', resolution: '2K' } },
    ],
    [
      'an aspect ratio that is no ratio',
      { aspectRatio: '16x9', resolution: '720p' },
      { code: 'invalid_input', field: 'resolution', details: { rule: 'resolution_no_size', resolution: '720p' } },
    ],
    [
      'a size and an aspect ratio',
      { size: '1280x720', aspectRatio: '16:9' },
      { code: 'invalid_input', field: 'aspect_ratio', details: { rule: 'size_or_aspect' } },
    ],
    [
      'a size and a resolution',
      { size: '1280x720', resolution: '720p' },
      { code: 'invalid_input', field: 'resolution', details: { rule: 'size_or_aspect' } },
    ],
    [
      'a size, an aspect ratio and a resolution',
      { size: '1280x720', aspectRatio: '16:9', resolution: '720p' },
      { code: 'invalid_input', field: 'aspect_ratio', details: { rule: 'size_or_aspect' } },
    ],
    [
      'a size the model does not list',
      { size: '1920x1080' },
      {
        code: 'model_constraint',
        field: 'size',
        details: { model: 'sora-2', value: '1920x1080', allowed: ['720x1280', '1280x720'], source: 'ref:sora-2' },
      },
    ],
    [
      'an aspect ratio and a resolution that make a size the model does not list',
      { aspectRatio: '16:9', resolution: '1080p' },
      {
        code: 'model_constraint',
        field: 'size',
        details: { model: 'sora-2', value: '1920x1080', allowed: ['720x1280', '1280x720'], source: 'ref:sora-2' },
      },
    ],
    [
      'a duration the model does not list',
      { seconds: '5' },
      {
        code: 'model_constraint',
        field: 'seconds',
        details: { model: 'sora-2', value: '5', allowed: ['4', '8', '12'], source: 'ref:sora-2' },
      },
    ],
    [
      'a seed, which the provider has no field for',
      { seed: 7 },
      { code: 'not_offered', field: 'seed', details: { kind: 'control', control: 'seed', provider: 'the provider', takes: OPENAI_TAKES } },
    ],
    [
      'a last frame, which the provider has no field for',
      { lastFrame: 'last.png' },
      {
        code: 'not_offered',
        field: 'last_frame',
        details: { kind: 'control', control: 'last_frame', provider: 'the provider', takes: OPENAI_TAKES },
      },
    ],
    [
      'a typo of a known model',
      { model: 'sora2' },
      { code: 'invalid_input', field: 'model', details: { rule: 'did_you_mean', model: 'sora2', suggestion: 'sora-2' } },
    ],
    [
      'a model that needs a first frame, without one',
      { model: 'runway/gen4' },
      {
        code: 'model_constraint',
        field: 'input_reference',
        details: { model: 'runway/gen4', requirement: 'required', source: 'ref:gen4' },
      },
    ],
  ])('refuses %s', async (_name, request, expected) => {
    expect(await refusal(plan(planner, request))).toEqual(expected);
  });

  it('names the facts it planned with', async () => {
    const { facts } = await plan(planner, {});
    expect(facts).toMatchObject({ id: 'sora-2', origin: 'catalog', reference: 'ref:sora-2' });
  });
});

describe('RequestPlanner with the simulator (no profile: the official one)', () => {
  const planner = plannerFor(undefined);

  it.each<PlanRow>([
    [
      'nothing asked: the official default model',
      {},
      { model: 'sora-2', frameSize: '720x1280', frameSizeDefaulted: true, estimate: sora2(4, 0.4) },
    ],
    [
      'an aspect ratio with a resolution becomes a size',
      { model: 'sora-2-pro', aspectRatio: '16:9', resolution: '720p', seconds: '8' },
      {
        model: 'sora-2-pro',
        size: '1280x720',
        frameSize: '1280x720',
        frameSizeDefaulted: false,
        estimate: { usd: 2.4, model: 'sora-2-pro', seconds: 8, usdPerSecond: 0.3, resolution: '720p', priceSource: 'price:pro-720p' },
      },
    ],
  ])('plans %s', async (_name, request, expected) => {
    expect(decided(await plan(planner, request))).toEqual(expected);
  });

  it.each<RefusalRow>([
    [
      'provider options, which the official shape has no field for',
      { providerOptions: { style: 'noir' } },
      {
        code: 'not_offered',
        field: 'provider_options',
        details: { kind: 'control', control: 'provider_options', provider: 'the provider', takes: ['input_reference'] },
      },
    ],
    [
      'an aspect ratio alone',
      { aspectRatio: '9:16' },
      { code: 'invalid_input', field: 'resolution', details: { rule: 'aspect_needs_both', provider: 'the provider' } },
    ],
  ])('refuses %s', async (_name, request, expected) => {
    expect(await refusal(plan(planner, request))).toEqual(expected);
  });
});

describe('RequestPlanner with the Bifrost profile (sizes, from the catalog)', () => {
  const planner = plannerFor(PROFILES.bifrost);
  const veo = (seconds: number, usd: number, usdPerSecond: number, resolution: string) => ({
    usd,
    model: 'gemini/veo-3.1-generate-preview',
    seconds,
    usdPerSecond,
    resolution,
    priceSource: 'price:veo',
  });

  it.each<PlanRow>([
    [
      'nothing asked: its default model at the dearest resolution',
      {},
      { model: 'gemini/veo-3.1-generate-preview', frameSize: '1280x720', frameSizeDefaulted: true, estimate: veo(8, 4, 0.5, '1080p') },
    ],
    [
      'a portrait aspect ratio at 1080p becomes its size',
      { aspectRatio: '9:16', resolution: '1080p', seconds: '4' },
      {
        model: 'gemini/veo-3.1-generate-preview',
        size: '1080x1920',
        frameSize: '1080x1920',
        frameSizeDefaulted: false,
        estimate: veo(4, 2, 0.5, '1080p'),
      },
    ],
    [
      'a negative prompt, which it takes',
      { size: '1280x720', negativePrompt: 'blur', seconds: '6' },
      {
        model: 'gemini/veo-3.1-generate-preview',
        size: '1280x720',
        frameSize: '1280x720',
        frameSizeDefaulted: false,
        estimate: veo(6, 2.4, 0.4, '720p'),
      },
    ],
  ])('plans %s', async (_name, request, expected) => {
    expect(decided(await plan(planner, request))).toEqual(expected);
  });

  it.each<RefusalRow>([
    [
      'a resolution alone, naming Bifrost',
      { resolution: '1080p' },
      { code: 'invalid_input', field: 'aspect_ratio', details: { rule: 'aspect_needs_both', provider: 'Bifrost' } },
    ],
    [
      'a seed the model does not take',
      { seed: 3 },
      {
        code: 'model_constraint',
        field: 'seed',
        details: { model: 'gemini/veo-3.1-generate-preview', requirement: 'unsupported', source: 'ref:bifrost-veo' },
      },
    ],
    [
      'a last frame, which Bifrost has no field for',
      { lastFrame: 'last.png' },
      {
        code: 'not_offered',
        field: 'last_frame',
        details: {
          kind: 'control',
          control: 'last_frame',
          provider: 'Bifrost',
          takes: ['input_reference', 'negative_prompt', 'seed', 'generate_audio', 'provider_options'],
        },
      },
    ],
  ])('refuses %s', async (_name, request, expected) => {
    expect(await refusal(plan(planner, request))).toEqual(expected);
  });
});

describe('RequestPlanner with the OpenRouter profile (aspect ratios and resolutions, reported)', () => {
  const planner = plannerFor(PROFILES.openrouter, OPENROUTER_MODELS);
  const veo = (seconds: number, usdPerSecond: number, resolution: string, audio: boolean) => ({
    usd: Math.round(usdPerSecond * seconds * 1000) / 1000,
    model: 'google/veo-3.1-fast',
    seconds,
    usdPerSecond,
    resolution,
    audio,
    priceSource: 'provider',
  });
  const VEO = 'google/veo-3.1-fast';

  it.each<PlanRow>([
    [
      'nothing asked: the default model, a frame of its first ratio and resolution, the dearest tier',
      {},
      { model: VEO, frameSize: '1280x720', frameSizeDefaulted: true, estimate: { ...veo(8, 0.4, '1080p', true), usd: 3.2 } },
    ],
    [
      'a landscape 720p size becomes 16:9 at 720p',
      { size: '1280x720', seconds: '4', generateAudio: false },
      {
        model: VEO,
        aspectRatio: '16:9',
        resolution: '720p',
        frameSize: '1280x720',
        frameSizeDefaulted: false,
        estimate: { ...veo(4, 0.1, '720p', false), usd: 0.4 },
      },
    ],
    [
      'a portrait 720p size becomes 9:16 at 720p',
      { size: '720x1280', seconds: '6', generateAudio: true },
      {
        model: VEO,
        aspectRatio: '9:16',
        resolution: '720p',
        frameSize: '720x1280',
        frameSizeDefaulted: false,
        estimate: { ...veo(6, 0.2, '720p', true), usd: 1.2 },
      },
    ],
    [
      'a 1080p size with sound left open is priced with sound',
      { size: '1920x1080' },
      {
        model: VEO,
        aspectRatio: '16:9',
        resolution: '1080p',
        frameSize: '1920x1080',
        frameSizeDefaulted: false,
        estimate: { ...veo(8, 0.4, '1080p', true), usd: 3.2 },
      },
    ],
    [
      // The wire fixes no resolution: the provider's default, which may be its dearest, is priced as the dearest.
      'an aspect ratio alone: the frame takes the first resolution, the estimate the dearest',
      { aspectRatio: '9:16', generateAudio: true },
      {
        model: VEO,
        aspectRatio: '9:16',
        frameSize: '720x1280',
        frameSizeDefaulted: false,
        estimate: { ...veo(8, 0.4, '1080p', true), usd: 3.2 },
      },
    ],
    [
      'a resolution alone (normalised): the frame takes the first aspect ratio',
      { resolution: '1080P', seconds: '4', generateAudio: false },
      {
        model: VEO,
        resolution: '1080p',
        frameSize: '1920x1080',
        frameSizeDefaulted: false,
        estimate: { ...veo(4, 0.25, '1080p', false), usd: 1 },
      },
    ],
    [
      'an aspect ratio with a resolution, as they are',
      { aspectRatio: '16:9', resolution: '1080p', generateAudio: false },
      {
        model: VEO,
        aspectRatio: '16:9',
        resolution: '1080p',
        frameSize: '1920x1080',
        frameSizeDefaulted: false,
        estimate: { ...veo(8, 0.25, '1080p', false), usd: 2 },
      },
    ],
    [
      'a first frame with no geometry sends the frame in its words',
      { inputReference: 'first.png' },
      {
        model: VEO,
        aspectRatio: '16:9',
        resolution: '720p',
        frameSize: '1280x720',
        frameSizeDefaulted: true,
        estimate: { ...veo(8, 0.2, '720p', true), usd: 1.6 },
      },
    ],
    [
      'a last frame alone (OpenRouter takes one without a first)',
      { lastFrame: 'last.png', generateAudio: false },
      {
        model: VEO,
        aspectRatio: '16:9',
        resolution: '720p',
        frameSize: '1280x720',
        frameSizeDefaulted: true,
        estimate: { ...veo(8, 0.1, '720p', false), usd: 0.8 },
      },
    ],
    [
      'reference images without frames',
      { referenceImages: ['ref.png'] },
      { model: VEO, frameSize: '1280x720', frameSizeDefaulted: true, estimate: { ...veo(8, 0.4, '1080p', true), usd: 3.2 } },
    ],
    [
      'a model that lists sizes keeps its size; no duration named prices its longest',
      { model: 'openai/sora-2', size: '1280x720' },
      {
        model: 'openai/sora-2',
        size: '1280x720',
        frameSize: '1280x720',
        frameSizeDefaulted: false,
        estimate: { usd: 1.2, model: 'openai/sora-2', seconds: 12, usdPerSecond: 0.1, priceSource: 'price:or-sora' },
      },
    ],
    [
      'a model that lists sizes is asked for an aspect ratio with a resolution as the size they make',
      { model: 'openai/sora-2', aspectRatio: '16:9', resolution: '720p', seconds: '4' },
      {
        model: 'openai/sora-2',
        size: '1280x720',
        frameSize: '1280x720',
        frameSizeDefaulted: false,
        estimate: { usd: 0.4, model: 'openai/sora-2', seconds: 4, usdPerSecond: 0.1, priceSource: 'price:or-sora' },
      },
    ],
    [
      'a model that lists sizes gets its first size for a frame, as a size',
      { model: 'openai/sora-2', inputReference: 'first.png' },
      {
        model: 'openai/sora-2',
        size: '720x1280',
        frameSize: '720x1280',
        frameSizeDefaulted: true,
        estimate: { usd: 1.2, model: 'openai/sora-2', seconds: 12, usdPerSecond: 0.1, priceSource: 'price:or-sora' },
      },
    ],
    [
      'a model that lists no geometry keeps a size of no named ratio',
      { model: 'acme/free-form', size: '1000x1000' },
      {
        model: 'acme/free-form',
        size: '1000x1000',
        frameSize: '1000x1000',
        frameSizeDefaulted: false,
        estimate: { usd: 0.1, model: 'acme/free-form', seconds: 5, usdPerSecond: 0.02, priceSource: 'provider' },
      },
    ],
    [
      // No resolution is known: the frame is landscape at the API default's resolution, never the portrait default size.
      'a model that lists no geometry, asked for an aspect ratio alone',
      { model: 'acme/free-form', aspectRatio: '16:9' },
      {
        model: 'acme/free-form',
        aspectRatio: '16:9',
        frameSize: '1280x720',
        frameSizeDefaulted: false,
        estimate: { usd: 0.1, model: 'acme/free-form', seconds: 5, usdPerSecond: 0.02, priceSource: 'provider' },
      },
    ],
    [
      'a model that lists no geometry frames at the API default size, sent as a ratio and a resolution',
      { model: 'acme/free-form', inputReference: 'first.png' },
      {
        model: 'acme/free-form',
        aspectRatio: '9:16',
        resolution: '720p',
        frameSize: '720x1280',
        frameSizeDefaulted: true,
        estimate: { usd: 0.1, model: 'acme/free-form', seconds: 5, usdPerSecond: 0.02, priceSource: 'provider' },
      },
    ],
  ])('plans %s', async (_name, request, expected) => {
    expect(decided(await plan(planner, request))).toEqual(expected);
  });

  it.each<RefusalRow>([
    [
      'a size no listed combination makes, naming every combination',
      { size: '1000x1000' },
      {
        code: 'model_constraint',
        field: 'size',
        details: { model: VEO, value: '1000x1000', allowed: ['1280x720', '1920x1080', '720x1280', '1080x1920'], source: 'ref:or-veo' },
      },
    ],
    [
      'a square size, as the aspect ratio it stands for',
      { size: '1080x1080' },
      {
        code: 'model_constraint',
        field: 'aspect_ratio',
        details: { model: VEO, value: '1:1', allowed: ['16:9', '9:16'], source: 'ref:or-veo' },
      },
    ],
    [
      'a 4K size, as the resolution it stands for',
      { size: '3840x2160' },
      {
        code: 'model_constraint',
        field: 'resolution',
        details: { model: VEO, value: '4K', allowed: ['720p', '1080p'], source: 'ref:or-veo' },
      },
    ],
    [
      'an aspect ratio with a resolution that make a size a model that lists sizes does not list',
      { model: 'openai/sora-2', aspectRatio: '16:9', resolution: '1080p' },
      {
        code: 'model_constraint',
        field: 'size',
        details: { model: 'openai/sora-2', value: '1920x1080', allowed: ['720x1280', '1280x720'], source: 'ref:or-sora' },
      },
    ],
    [
      'a resolution the model does not list',
      { aspectRatio: '16:9', resolution: '480p' },
      {
        code: 'model_constraint',
        field: 'resolution',
        details: { model: VEO, value: '480p', allowed: ['720p', '1080p'], source: 'ref:or-veo' },
      },
    ],
    [
      'a duration the model does not list',
      { seconds: '10' },
      { code: 'model_constraint', field: 'seconds', details: { model: VEO, value: '10', allowed: ['4', '6', '8'], source: 'ref:or-veo' } },
    ],
    [
      'a size with a resolution',
      { size: '1280x720', resolution: '720p' },
      { code: 'invalid_input', field: 'resolution', details: { rule: 'size_or_aspect' } },
    ],
    [
      'a negative prompt, with the way to send one',
      { negativePrompt: 'blur' },
      {
        code: 'not_offered',
        field: 'negative_prompt',
        details: {
          kind: 'control',
          control: 'negative_prompt',
          provider: 'OpenRouter',
          takes: controlsBut('negative_prompt'),
          hint: PROFILES.openrouter.controlHints?.negative_prompt,
        },
      },
    ],
    [
      'a first frame with reference images',
      { inputReference: 'first.png', referenceImages: ['ref.png'] },
      { code: 'invalid_input', field: 'reference_images', details: { rule: 'frames_or_references', provider: 'OpenRouter' } },
    ],
    [
      'a last frame with reference images',
      { lastFrame: 'last.png', referenceImages: ['ref.png'] },
      { code: 'invalid_input', field: 'reference_images', details: { rule: 'frames_or_references', provider: 'OpenRouter' } },
    ],
    [
      'a typo of a model the provider lists',
      { model: 'google/veo-3.1-fats' },
      {
        code: 'invalid_input',
        field: 'model',
        details: { rule: 'did_you_mean', model: 'google/veo-3.1-fats', suggestion: 'google/veo-3.1-fast' },
      },
    ],
  ])('refuses %s', async (_name, request, expected) => {
    expect(await refusal(plan(planner, request))).toEqual(expected);
  });

  it('plans with the facts the provider reported', async () => {
    const { facts } = await plan(planner, {});
    expect(facts).toMatchObject({ id: VEO, origin: 'provider', reference: 'ref:or-veo' });
  });
});

describe('RequestPlanner with the Gemini API profile (aspect ratios and resolutions, sound always)', () => {
  const planner = plannerFor(PROFILES.gemini, GEMINI_MODELS);
  const FAST = 'veo-3.1-fast-generate-preview';
  const fast = (seconds: number, usd: number, usdPerSecond: number, resolution: string) => ({
    usd,
    model: FAST,
    seconds,
    usdPerSecond,
    resolution,
    priceSource: 'price:gemini',
  });
  const GEMINI_TAKES = [
    'input_reference',
    'last_frame',
    'reference_images',
    'negative_prompt',
    'aspect_ratio',
    'resolution',
    'provider_options',
  ];

  it.each<PlanRow>([
    [
      'nothing asked: the dearest resolution',
      {},
      { model: FAST, frameSize: '1280x720', frameSizeDefaulted: true, estimate: fast(8, 2.8, 0.35, '4K') },
    ],
    [
      'a portrait size becomes 9:16 at 720p',
      { size: '720x1280' },
      {
        model: FAST,
        aspectRatio: '9:16',
        resolution: '720p',
        frameSize: '720x1280',
        frameSizeDefaulted: false,
        estimate: fast(8, 1.2, 0.15, '720p'),
      },
    ],
    [
      'a portrait 4K size becomes 9:16 at 4K',
      { size: '2160x3840', seconds: '4' },
      {
        model: FAST,
        aspectRatio: '9:16',
        resolution: '4K',
        frameSize: '2160x3840',
        frameSizeDefaulted: false,
        estimate: fast(4, 1.4, 0.35, '4K'),
      },
    ],
    [
      'a lower-case 4k alone',
      { resolution: '4k' },
      { model: FAST, resolution: '4K', frameSize: '3840x2160', frameSizeDefaulted: false, estimate: fast(8, 2.8, 0.35, '4K') },
    ],
    [
      'a first and a last frame with no geometry',
      { inputReference: 'first.png', lastFrame: 'last.png' },
      {
        model: FAST,
        aspectRatio: '16:9',
        resolution: '720p',
        frameSize: '1280x720',
        frameSizeDefaulted: true,
        estimate: fast(8, 1.2, 0.15, '720p'),
      },
    ],
    [
      'a negative prompt with an aspect ratio and a resolution',
      { negativePrompt: 'blur', aspectRatio: '16:9', resolution: '1080p', seconds: '6' },
      {
        model: FAST,
        aspectRatio: '16:9',
        resolution: '1080p',
        frameSize: '1920x1080',
        frameSizeDefaulted: false,
        estimate: fast(6, 0.9, 0.15, '1080p'),
      },
    ],
  ])('plans %s', async (_name, request, expected) => {
    expect(decided(await plan(planner, request))).toEqual(expected);
  });

  it.each<RefusalRow>([
    [
      'a seed, with why',
      { seed: 1 },
      {
        code: 'not_offered',
        field: 'seed',
        details: {
          kind: 'control',
          control: 'seed',
          provider: 'the Gemini API',
          takes: GEMINI_TAKES,
          hint: 'The Gemini API takes no seed (Vertex AI does).',
        },
      },
    ],
    [
      'a sound choice, with why',
      { generateAudio: true },
      {
        code: 'not_offered',
        field: 'generate_audio',
        details: {
          kind: 'control',
          control: 'generate_audio',
          provider: 'the Gemini API',
          takes: GEMINI_TAKES,
          hint: 'Veo makes sound with every video at the Gemini API.',
        },
      },
    ],
    [
      'a last frame without a first',
      { lastFrame: 'last.png' },
      { code: 'invalid_input', field: 'last_frame', details: { rule: 'last_frame_needs_first', provider: 'the Gemini API' } },
    ],
    [
      'reference images a model takes none of',
      { referenceImages: ['ref.png'] },
      { code: 'model_constraint', field: 'reference_images', details: { model: FAST, value: 1, most: 0, source: 'ref:gemini' } },
    ],
    [
      'a last frame a model does not take',
      { model: 'veo-3.0-generate-001', inputReference: 'first.png', lastFrame: 'last.png' },
      {
        code: 'model_constraint',
        field: 'last_frame',
        details: { model: 'veo-3.0-generate-001', requirement: 'unsupported', source: 'ref:gemini-3' },
      },
    ],
    [
      'a square aspect ratio the model does not list',
      { aspectRatio: '1:1', resolution: '720p' },
      {
        code: 'model_constraint',
        field: 'aspect_ratio',
        details: { model: FAST, value: '1:1', allowed: ['16:9', '9:16'], source: 'ref:gemini' },
      },
    ],
  ])('refuses %s', async (_name, request, expected) => {
    expect(await refusal(plan(planner, request))).toEqual(expected);
  });
});

describe('RequestPlanner with the fal profile (aspect ratios and resolutions, no reference images)', () => {
  const planner = plannerFor(PROFILES.fal, FAL_MODELS);
  const VEO = 'fal-ai/veo3.1';

  it.each<PlanRow>([
    [
      'nothing asked: sound left open is priced with sound',
      {},
      {
        model: VEO,
        frameSize: '1280x720',
        frameSizeDefaulted: true,
        estimate: { usd: 3.2, model: VEO, seconds: 8, usdPerSecond: 0.4, audio: true, priceSource: 'price:fal' },
      },
    ],
    [
      'a square size becomes 1:1, priced without sound',
      { size: '1080x1080', seconds: '4', generateAudio: false },
      {
        model: VEO,
        aspectRatio: '1:1',
        resolution: '1080p',
        frameSize: '1080x1080',
        frameSizeDefaulted: false,
        estimate: { usd: 0.8, model: VEO, seconds: 4, usdPerSecond: 0.2, audio: false, priceSource: 'price:fal' },
      },
    ],
    [
      'a portrait aspect ratio at 1080p with sound',
      { aspectRatio: '9:16', resolution: '1080p', generateAudio: true },
      {
        model: VEO,
        aspectRatio: '9:16',
        resolution: '1080p',
        frameSize: '1080x1920',
        frameSizeDefaulted: false,
        estimate: { usd: 3.2, model: VEO, seconds: 8, usdPerSecond: 0.4, audio: true, priceSource: 'price:fal' },
      },
    ],
    [
      'a model that lists sizes keeps a size of no named resolution',
      { model: 'fal-ai/sized', size: '1024x576' },
      {
        model: 'fal-ai/sized',
        size: '1024x576',
        frameSize: '1024x576',
        frameSizeDefaulted: false,
        estimate: { usd: 0.25, model: 'fal-ai/sized', seconds: 5, usdPerSecond: 0.05, priceSource: 'provider' },
      },
    ],
    [
      // A resolution of no fixed size makes no frame size: the frame keeps the ratio, at the API default's resolution.
      'a resolution of no fixed size is sent and priced as it is',
      { model: 'fal-ai/resolutions-only', aspectRatio: '16:9', resolution: '2K' },
      {
        model: 'fal-ai/resolutions-only',
        aspectRatio: '16:9',
        resolution: '2K',
        frameSize: '1280x720',
        frameSizeDefaulted: false,
        estimate: { usd: 1.5, model: 'fal-ai/resolutions-only', seconds: 5, usdPerSecond: 0.3, resolution: '2K', priceSource: 'provider' },
      },
    ],
    [
      'a frame of a ratio no gateway names is sent as a size',
      { model: 'fal-ai/five-by-four', inputReference: 'first.png' },
      {
        model: 'fal-ai/five-by-four',
        size: '900x720',
        frameSize: '900x720',
        frameSizeDefaulted: true,
        estimate: { usd: 0.5, model: 'fal-ai/five-by-four', seconds: 5, usdPerSecond: 0.1, priceSource: 'provider' },
      },
    ],
  ])('plans %s', async (_name, request, expected) => {
    expect(decided(await plan(planner, request))).toEqual(expected);
  });

  it.each<RefusalRow>([
    [
      'an aspect ratio with a resolution that make a size a model that lists sizes does not list',
      { model: 'fal-ai/sized', aspectRatio: '16:9', resolution: '720p' },
      {
        code: 'model_constraint',
        field: 'size',
        details: { model: 'fal-ai/sized', value: '1280x720', allowed: ['1024x576'] },
      },
    ],
    [
      'reference images, which fal has no field for',
      { referenceImages: ['ref.png'] },
      {
        code: 'not_offered',
        field: 'reference_images',
        details: { kind: 'control', control: 'reference_images', provider: 'fal', takes: controlsBut('reference_images') },
      },
    ],
    [
      'a size no combination makes, with every combination (no reference known)',
      { size: '1000x1000' },
      {
        code: 'model_constraint',
        field: 'size',
        details: {
          model: VEO,
          value: '1000x1000',
          allowed: ['1280x720', '1920x1080', '720x1280', '1080x1920', '720x720', '1080x1080'],
          source: undefined,
        },
      },
    ],
    [
      'a size no combination makes, for a model that lists resolutions only (landscape and portrait, fixed sizes only)',
      { model: 'fal-ai/resolutions-only', size: '1000x1000' },
      {
        code: 'model_constraint',
        field: 'size',
        details: { model: 'fal-ai/resolutions-only', value: '1000x1000', allowed: ['1920x1080', '1080x1920'], source: undefined },
      },
    ],
    [
      'a size no combination makes, for a model that lists aspect ratios only (at 720p)',
      { model: 'fal-ai/square-only', size: '1000x1000' },
      {
        code: 'model_constraint',
        field: 'size',
        details: { model: 'fal-ai/square-only', value: '1000x1000', allowed: ['720x720'], source: undefined },
      },
    ],
  ])('refuses %s', async (_name, request, expected) => {
    expect(await refusal(plan(planner, request))).toEqual(expected);
  });
});

describe('RequestPlanner with the json profile (sizes, frames or references)', () => {
  const planner = plannerFor(PROFILES.json, JSON_MODELS);
  const VEO = 'veo-3.1-generate-preview';
  const veo = (seconds: number, usd: number, usdPerSecond: number, audio: boolean) => ({
    usd,
    model: VEO,
    seconds,
    usdPerSecond,
    audio,
    priceSource: 'provider',
  });
  const JSON_TAKES = ['input_reference', 'last_frame', 'reference_images', 'generate_audio', 'provider_options'];

  it.each<PlanRow>([
    ['nothing asked', {}, { model: VEO, frameSize: '1280x720', frameSizeDefaulted: true, estimate: veo(8, 3.2, 0.4, true) }],
    [
      'an aspect ratio with a resolution becomes a size; no sound is priced without',
      { aspectRatio: '16:9', resolution: '720p', generateAudio: false },
      { model: VEO, size: '1280x720', frameSize: '1280x720', frameSizeDefaulted: false, estimate: veo(8, 1.6, 0.2, false) },
    ],
    [
      'a first and a last frame send the first size',
      { inputReference: 'first.png', lastFrame: 'last.png' },
      { model: VEO, size: '1280x720', frameSize: '1280x720', frameSizeDefaulted: true, estimate: veo(8, 3.2, 0.4, true) },
    ],
    [
      'reference images alone',
      { referenceImages: ['a.png', 'b.png'], generateAudio: false, seconds: '4' },
      { model: VEO, frameSize: '1280x720', frameSizeDefaulted: true, estimate: veo(4, 0.8, 0.2, false) },
    ],
    [
      'a catalog model the provider does not list',
      { model: 'runway/gen4', inputReference: 'first.png', generateAudio: false },
      {
        model: 'runway/gen4',
        size: '1280x720',
        frameSize: '1280x720',
        frameSizeDefaulted: true,
        estimate: { usd: 0.5, model: 'runway/gen4', seconds: 10, usdPerSecond: 0.05, priceSource: 'price:gen4' },
      },
    ],
  ])('plans %s', async (_name, request, expected) => {
    expect(decided(await plan(planner, request))).toEqual(expected);
  });

  it.each<RefusalRow>([
    [
      'an aspect ratio alone',
      { aspectRatio: '16:9' },
      { code: 'invalid_input', field: 'resolution', details: { rule: 'aspect_needs_both', provider: 'the provider' } },
    ],
    [
      'a last frame without a first',
      { lastFrame: 'last.png' },
      { code: 'invalid_input', field: 'last_frame', details: { rule: 'last_frame_needs_first', provider: 'the provider' } },
    ],
    [
      'a last frame without a first, before its reference images',
      { lastFrame: 'last.png', referenceImages: ['ref.png'] },
      { code: 'invalid_input', field: 'last_frame', details: { rule: 'last_frame_needs_first', provider: 'the provider' } },
    ],
    [
      'a first frame with reference images',
      { inputReference: 'first.png', referenceImages: ['ref.png'] },
      { code: 'invalid_input', field: 'reference_images', details: { rule: 'frames_or_references', provider: 'the provider' } },
    ],
    [
      'a seed',
      { seed: 5 },
      { code: 'not_offered', field: 'seed', details: { kind: 'control', control: 'seed', provider: 'the provider', takes: JSON_TAKES } },
    ],
    [
      'more reference images than the model takes',
      { referenceImages: ['1.png', '2.png', '3.png', '4.png'] },
      { code: 'model_constraint', field: 'reference_images', details: { model: VEO, value: 4, most: 3, source: 'ref:json-veo' } },
    ],
    [
      'sound from a model that never makes it',
      { model: 'runway/gen4', inputReference: 'first.png', generateAudio: true },
      { code: 'model_constraint', field: 'generate_audio', details: { model: 'runway/gen4', requirement: 'never', source: 'ref:gen4' } },
    ],
    [
      'no sound from a model that always makes it',
      { model: 'sora-2', generateAudio: false },
      { code: 'model_constraint', field: 'generate_audio', details: { model: 'sora-2', requirement: 'always', source: 'ref:sora-2' } },
    ],
  ])('refuses %s', async (_name, request, expected) => {
    expect(await refusal(plan(planner, request))).toEqual(expected);
  });
});

describe('RequestPlanner with a profile that takes an aspect ratio but no resolution', () => {
  const half: ProviderProfile = {
    label: 'Half',
    defaultModel: 'sora-2-pro',
    controls: ['input_reference', 'aspect_ratio'],
    operations: [],
    variants: ['video'],
  };
  const planner = plannerFor(half);

  it.each<PlanRow>([
    [
      'an aspect ratio with a resolution as a size (it speaks sizes)',
      { aspectRatio: '16:9', resolution: '720p' },
      {
        model: 'sora-2-pro',
        size: '1280x720',
        frameSize: '1280x720',
        frameSizeDefaulted: false,
        estimate: { usd: 1.2, model: 'sora-2-pro', seconds: 4, usdPerSecond: 0.3, resolution: '720p', priceSource: 'price:pro-720p' },
      },
    ],
    [
      'a frame for a model nothing knows as a size',
      { model: 'acme-video', inputReference: 'first.png' },
      {
        model: 'acme-video',
        size: '720x1280',
        frameSize: '720x1280',
        frameSizeDefaulted: true,
        estimate: { usd: null, model: 'acme-video' },
      },
    ],
  ])('plans %s', async (_name, request, expected) => {
    expect(decided(await plan(planner, request))).toEqual(expected);
  });
});

describe('RequestPlanner.planRemix', () => {
  const remixOf = (planner: RequestPlanner, source: Partial<Video>) => planner.planRemix(video(source));

  it.each<[name: string, source: Partial<Video>, estimate: CostEstimate]>([
    ['its source settings', { model: 'sora-2', seconds: '8', size: '1280x720' }, sora2(8, 0.8)],
    ['a source of no known length at the longest duration', { model: 'sora-2', seconds: '', size: '1280x720' }, sora2(12, 1.2)],
    ['a source of no model as the default model', { model: '', seconds: '4' }, sora2(4, 0.4)],
    [
      'a 720p source at the 720p tier',
      { model: 'sora-2-pro', seconds: '4', size: '1280x720' },
      { usd: 1.2, model: 'sora-2-pro', seconds: 4, usdPerSecond: 0.3, resolution: '720p', priceSource: 'price:pro-720p' },
    ],
    [
      'a source of no named resolution at the dearest tier',
      { model: 'sora-2-pro', seconds: '4', size: '1792x1024' },
      { usd: 2, model: 'sora-2-pro', seconds: 4, usdPerSecond: 0.5, priceSource: 'price:pro' },
    ],
    [
      'a source of no size at the dearest tier',
      { model: 'sora-2-pro', seconds: '8', size: '' },
      { usd: 4, model: 'sora-2-pro', seconds: 8, usdPerSecond: 0.5, priceSource: 'price:pro' },
    ],
    ['a model nothing knows, unpriced', { model: 'acme-video', seconds: '4' }, { usd: null, model: 'acme-video' }],
  ])('prices %s', async (_name, source, expected) => {
    const planned = await remixOf(plannerFor(PROFILES.openai), source);
    expect(planned.estimate).toEqual(expected);
    expect(planned.facts.id).toBe(expected.model);
  });

  it('refuses a model that cannot be remixed, naming its source', async () => {
    const planner = plannerFor(PROFILES.gemini, GEMINI_MODELS);
    expect(await refusal(remixOf(planner, { model: 'veo-3.1-fast-generate-preview', seconds: '8' }))).toEqual({
      code: 'model_constraint',
      field: 'video_id',
      details: { model: 'veo-3.1-fast-generate-preview', requirement: 'no_remix', source: 'ref:gemini' },
    });
  });

  it("refuses the default model's remix when the source names none and the default cannot be remixed", async () => {
    const planner = plannerFor(PROFILES.bifrost);
    expect(await refusal(remixOf(planner, { model: '' }))).toEqual({
      code: 'model_constraint',
      field: 'video_id',
      details: { model: 'gemini/veo-3.1-generate-preview', requirement: 'no_remix', source: 'ref:bifrost-veo' },
    });
  });
});

describe('estimate', () => {
  const facts = (over: Partial<ModelFacts>): ModelFacts => ({ id: 'm', origin: 'catalog', capabilities: {}, prices: [], ...over });
  const open = { seconds: undefined, resolution: undefined, audio: undefined };

  it('takes no price that is not a finite positive number: a free tier is no price', () => {
    expect(estimate(facts({ prices: [{ usd_per_second: 0 }] }), { ...open, seconds: '4' })).toEqual({ usd: null, model: 'm' });
    expect(estimate(facts({ prices: [{ usd_per_second: 0 }, { usd_per_second: 0.2 }] }), { ...open, seconds: '4' })).toEqual({
      usd: 0.8,
      model: 'm',
      seconds: 4,
      usdPerSecond: 0.2,
    });
  });

  it('is unpriced when no duration is known', () => {
    expect(estimate(facts({ prices: [{ usd_per_second: 0.2 }] }), open)).toEqual({ usd: null, model: 'm' });
  });

  it('prices an open duration at the default, or at the longest when asked for the dearest', () => {
    const capabilities = { seconds: ['4', '12', '8'], default_seconds: '4' };
    const priced = facts({ capabilities, prices: [{ usd_per_second: 0.1 }] });
    expect(estimate(priced, open)).toMatchObject({ usd: 0.4, seconds: 4 });
    expect(estimate(priced, open, 'dearest')).toMatchObject({ usd: 1.2, seconds: 12 });
    expect(estimate(priced, { ...open, seconds: '8' }, 'dearest')).toMatchObject({ usd: 0.8, seconds: 8 });
  });

  it("matches a tier's resolution however it is spelled, and rounds to the cent's tenth", () => {
    const priced = facts({
      prices: [
        { usd_per_second: 0.12345, resolution: '720P', source: 's720' },
        { usd_per_second: 0.9, resolution: '1080p', source: 's1080' },
      ],
    });
    expect(estimate(priced, { seconds: '3', resolution: '720p', audio: false })).toEqual({
      usd: 0.37,
      model: 'm',
      seconds: 3,
      usdPerSecond: 0.12345,
      resolution: '720P',
      priceSource: 's720',
    });
  });

  it('names the provider as the source of a price it reported without one, and no source for the catalog', () => {
    const tier = [{ usd_per_second: 0.1 }];
    expect(estimate(facts({ origin: 'provider', prices: tier }), { ...open, seconds: '1' }).priceSource).toBe('provider');
    expect(estimate(facts({ origin: 'catalog', prices: tier }), { ...open, seconds: '1' }).priceSource).toBeUndefined();
  });

  it('prices sound the model always makes, or never makes, without being told', () => {
    const prices = [
      { usd_per_second: 0.3, audio: true },
      { usd_per_second: 0.1, audio: false },
    ];
    const always = facts({ capabilities: { audio: 'always' }, prices });
    const never = facts({ capabilities: { audio: 'never' }, prices });
    expect(estimate(always, { seconds: '1', resolution: '720p', audio: undefined })).toMatchObject({ usd: 0.3, audio: true });
    expect(estimate(never, { seconds: '1', resolution: '720p', audio: undefined })).toMatchObject({ usd: 0.1, audio: false });
    // Told, the request wins over what the model does by default.
    expect(estimate(always, { seconds: '1', resolution: '720p', audio: false })).toMatchObject({ usd: 0.1, audio: false });
  });

  it('prefers the most specific tier once resolution and sound are known', () => {
    const priced = facts({
      prices: [
        { usd_per_second: 0.9 },
        { usd_per_second: 0.5, resolution: '720p' },
        { usd_per_second: 0.4, audio: true },
        { usd_per_second: 0.3, resolution: '720p', audio: true },
      ],
    });
    expect(estimate(priced, { seconds: '10', resolution: '720p', audio: true })).toMatchObject({ usd: 3, usdPerSecond: 0.3 });
    // Open, the dearest that could apply.
    expect(estimate(priced, { seconds: '10', resolution: '720p', audio: undefined })).toMatchObject({ usd: 9, usdPerSecond: 0.9 });
  });
});
