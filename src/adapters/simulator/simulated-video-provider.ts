// node:fs/promises loads on first use (fs.promises is a lazy getter), not at start-up: it brings readline and watchers.
import { createReadStream, promises as fsp } from 'node:fs';
import type { Sharp } from 'sharp';
import { CancelledError, DomainError, notFound, providerRefused } from '../../domain/errors';
import { IMAGE_MIME_TYPES, imageFormat } from '../../domain/media';
import type {
  CallOptions,
  Clock,
  CreateVideoParams,
  JobRef,
  Logger,
  MediaContent,
  RemixVideoParams,
  ReportedModel,
  VideoProvider,
} from '../../domain/ports';
import {
  API_DEFAULT_SIZE,
  DEFAULT_VIDEO_MODEL,
  parseSize,
  type ListVideosQuery,
  type Video,
  type VideoDeleteResponse,
  type VideoPage,
  type VideoVariant,
} from '../../domain/video';
import { JobRepository, type SimulatedJob } from './job-repository';
import { SimulatorMediaRenderer, type CardDetails } from './clips/render';

export interface SimulatorOptions {
  /** Folder for jobs and media (under the first root). */
  folder: string;
  /** Render time of a 4-second sora-2 video; longer clips and pro models take proportionally longer. */
  baseRenderMs: number;
}

/** Prompt markers, documented for users: see a failure, or a slow render, without a real provider. */
export const FAIL_MARKER = '[fail]';
export const SLOW_MARKER = '[slow]';
const SLOW_FACTOR = 10;
const QUEUED_SHARE = 0.1;
const ASSET_LIFETIME_S = 24 * 3600;

/** What the simulator says it serves on the models list (it renders any model id it is given). */
export const SIMULATOR_MODELS = ['sora-2', 'sora-2-pro'] as const;
const SIMULATOR_SIZES = ['720x1280', '1280x720', '1024x1792', '1792x1024', '1080x1920', '1920x1080'];

const MEDIA: Record<VideoVariant, string> = { video: 'video/mp4', thumbnail: 'image/webp', spritesheet: 'image/jpeg' };

/**
 * An honest offline provider: it plays the whole job lifecycle on the Clock port (queued, in_progress
 * with rising progress, completed or failed), checks inputs as the API does, and produces real media
 * (a playable MP4, a WebP thumbnail and a JPEG spritesheet) showing the prompt on a labelled title
 * card. No network, no cost.
 */
export class SimulatedVideoProvider implements VideoProvider {
  private readonly jobs: JobRepository;
  private readonly renderer = new SimulatorMediaRenderer();
  private readonly rendering = new Map<string, Promise<void>>();

  constructor(
    private readonly options: SimulatorOptions,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {
    this.jobs = new JobRepository(options.folder);
  }

  async assertReady(): Promise<void> {
    // Always ready: no key, no network.
  }

  async create(params: CreateVideoParams, options: CallOptions = {}): Promise<Video> {
    checkSignal(options);
    if (params.prompt.length < 1 || params.prompt.length > 32000) throw badRequest("Invalid 'prompt': expected 1 to 32000 characters.");
    const size = params.size ?? API_DEFAULT_SIZE;
    const seconds = params.seconds ?? '4';
    const frame = parseSize(size);
    // The simulator renders real frames of any even size (4:2:0) up to 1920, clips up to 20 s.
    if (
      !frame ||
      frame.width % 2 !== 0 ||
      frame.height % 2 !== 0 ||
      frame.width > 1920 ||
      frame.height > 1920 ||
      frame.width < 64 ||
      frame.height < 64
    ) {
      throw badRequest(
        `Invalid 'size': the simulator renders WIDTHxHEIGHT with both sides even, between 64 and 1920, such as ${SIMULATOR_SIZES.join(', ')}.`,
      );
    }
    if (!/^[1-9][0-9]?$/.test(seconds) || Number(seconds) > 20)
      throw badRequest("Invalid 'seconds': the simulator renders 1 to 20 whole seconds.");
    if (params.inputReference) await this.checkReference(params.inputReference.bytes, size);
    const model = params.model ?? DEFAULT_VIDEO_MODEL;
    return this.start({ prompt: params.prompt, model, size, seconds, remixed_from_video_id: null }, params.inputReference?.bytes);
  }

  async listModels(options: CallOptions = {}): Promise<ReportedModel[]> {
    checkSignal(options);
    return SIMULATOR_MODELS.map((id) => ({ id }));
  }

  async remix(source: JobRef, params: RemixVideoParams, options: CallOptions = {}): Promise<Video> {
    checkSignal(options);
    const video = await this.current(source.id);
    if (video.status !== 'completed') throw badRequest(`Video ${source.id} is ${video.status}; only a completed video can be remixed.`);
    return this.start({
      prompt: params.prompt,
      model: video.model,
      size: video.size,
      seconds: video.seconds,
      remixed_from_video_id: video.id,
    });
  }

  async retrieve(job: JobRef, options: CallOptions = {}): Promise<Video> {
    checkSignal(options);
    return this.current(job.id);
  }

  /** The simulator knows how long each job renders: a 3 s job is followed as one. */
  expectedRenderMs(job: Video): number | undefined {
    return renderTime(this.options.baseRenderMs, job);
  }

  async list(query: ListVideosQuery, options: CallOptions = {}): Promise<VideoPage> {
    checkSignal(options);
    const jobs = (await this.jobs.all()).sort((a, b) => a.sequence - b.sequence);
    if (query.order !== 'asc') jobs.reverse();
    const cursor = query.after ? jobs.findIndex((job) => job.video.id === query.after) : -1;
    // An unknown cursor (a deleted job, a typo) is an error: starting over would loop a client forever.
    if (query.after && cursor < 0) throw badRequest(`No video "${query.after}" to list after; start again without after.`);
    const start = cursor + 1;
    const limit = query.limit ?? 20;
    const page = jobs.slice(start, start + limit).map((job) => this.advance(job).video);
    return {
      object: 'list',
      data: page,
      first_id: page[0]?.id ?? null,
      last_id: page.at(-1)?.id ?? null,
      has_more: start + limit < jobs.length,
    };
  }

  async delete(job: JobRef, options: CallOptions = {}): Promise<VideoDeleteResponse> {
    checkSignal(options);
    const videoId = job.id;
    const video = await this.current(videoId);
    if (video.status !== 'completed' && video.status !== 'failed') {
      throw badRequest(`Video ${videoId} is ${video.status}; only a completed or failed video can be deleted.`);
    }
    await this.jobs.remove(videoId);
    return { id: videoId, object: 'video.deleted', deleted: true };
  }

  async downloadContent(job: JobRef, variant: VideoVariant, options: CallOptions = {}): Promise<MediaContent> {
    checkSignal(options);
    const videoId = job.id;
    const video = await this.current(videoId);
    if (video.status !== 'completed')
      throw badRequest(`Video ${videoId} is ${video.status}; its content is available once it is completed.`);
    await this.ensureMedia(video);
    const file = this.jobs.mediaPath(videoId, variant);
    const { size } = await fsp.stat(file);
    const body = createReadStream(file, { signal: options.signal });
    // An error before the consumer attaches stays in the stream's errored state for it to report.
    body.on('error', () => undefined);
    return { contentType: MEDIA[variant], contentLength: size, body, cancel: () => body.destroy() };
  }

  private async start(
    fields: Pick<Video, 'prompt' | 'model' | 'size' | 'seconds' | 'remixed_from_video_id'>,
    reference?: Uint8Array,
  ): Promise<Video> {
    const now = this.clock.now();
    const prompt = fields.prompt ?? '';
    const renderMs = renderTime(this.options.baseRenderMs, fields);
    const job: SimulatedJob = {
      video: {
        id: JobRepository.newId(),
        object: 'video',
        status: 'queued',
        progress: 0,
        created_at: Math.floor(now / 1000),
        completed_at: null,
        expires_at: null,
        error: null,
        ...fields,
      },
      sequence: this.jobs.nextSequence(),
      startedAtMs: now,
      renderMs,
      failure: prompt.includes(FAIL_MARKER)
        ? { code: 'moderation_blocked', message: 'Your request was blocked by the (simulated) moderation system.' }
        : null,
    };
    await this.jobs.put(job);
    // The fitted reference is kept beside the job (its folder now exists) and shown in its video, as the first frame would be.
    if (reference) await fsp.writeFile(this.jobs.mediaPath(job.video.id, 'reference'), reference);
    this.logger.log('debug', `simulator: started ${job.video.id}, rendering for ${renderMs} ms`);
    return { ...job.video };
  }

  private async current(videoId: string): Promise<Video> {
    const job = await this.jobs.get(videoId);
    if (!job) throw notFound({ reason: 'at_provider', subject: `Video ${videoId}`, provider: 'the simulator' });
    const advanced = this.advance(job);
    if (advanced.video.status !== job.video.status || advanced.video.progress !== job.video.progress) await this.jobs.put(advanced);
    return { ...advanced.video };
  }

  /** The job's state at the clock's current time. */
  private advance(job: SimulatedJob): SimulatedJob {
    if (job.video.status === 'completed' || job.video.status === 'failed') return job;
    const elapsed = this.clock.now() - job.startedAtMs;
    const fraction = elapsed / job.renderMs;
    const video = { ...job.video };
    if (job.failure && fraction >= 0.5) {
      Object.assign(video, { status: 'failed', progress: 50, error: job.failure });
    } else if (fraction >= 1) {
      const completed = Math.floor((job.startedAtMs + job.renderMs) / 1000);
      Object.assign(video, { status: 'completed', progress: 100, completed_at: completed, expires_at: completed + ASSET_LIFETIME_S });
    } else if (fraction >= QUEUED_SHARE) {
      Object.assign(video, {
        status: 'in_progress',
        progress: Math.min(99, Math.floor(((fraction - QUEUED_SHARE) / (1 - QUEUED_SHARE)) * 100)),
      });
    }
    return { ...job, video };
  }

  /** Renders the three assets once per job (concurrent downloads share the work). */
  private ensureMedia(video: Video): Promise<void> {
    let pending = this.rendering.get(video.id);
    if (!pending) {
      pending = this.renderMedia(video).finally(() => this.rendering.delete(video.id));
      this.rendering.set(video.id, pending);
    }
    return pending;
  }

  private async renderMedia(video: Video): Promise<void> {
    const done = await fsp.stat(this.jobs.mediaPath(video.id, 'spritesheet')).then(
      () => true,
      () => false,
    );
    if (done) return;
    const card: CardDetails = {
      id: video.id,
      prompt: video.prompt ?? '',
      model: video.model,
      size: video.size,
      seconds: video.seconds,
      remixedFrom: video.remixed_from_video_id,
      reference: await fsp.readFile(this.jobs.mediaPath(video.id, 'reference')).catch(() => undefined),
    };
    const assets: [VideoVariant, Buffer][] = [
      ['video', await this.renderer.video(card)],
      ['thumbnail', await this.renderer.thumbnail(card)],
      ['spritesheet', await this.renderer.spritesheet(card)],
    ];
    for (const [variant, bytes] of assets) {
      const file = this.jobs.mediaPath(video.id, variant);
      // A unique temp name: the MCP server and `sora2-mcp simulator` may share this folder.
      const temp = `${file}.${crypto.randomUUID()}.tmp`;
      await fsp.writeFile(temp, bytes);
      await fsp.rename(temp, file);
    }
    // Deleted while it rendered: leave no orphan media behind.
    if (!(await this.jobs.get(video.id))) await this.jobs.remove(video.id);
  }

  /** As the API does: the reference must be a JPEG, PNG or WebP of exactly the video's size. */
  private async checkReference(bytes: Uint8Array, size: string): Promise<void> {
    const sharp = require('sharp') as (input: Buffer) => Sharp;
    const meta = await sharp(Buffer.from(bytes))
      .metadata()
      .catch(() => undefined);
    if (!meta || !IMAGE_MIME_TYPES.map(imageFormat).includes(meta.format ?? '')) throw badRequest('Unable to process image bytes.');
    if (`${meta.width}x${meta.height}` !== size) throw badRequest('Inpaint image must match the requested width and height');
  }
}

/** How long a job renders: the base time for 4 seconds of sora-2, in proportion to its length, doubled for pro models, ten times for `[slow]`. */
function renderTime(baseMs: number, job: Pick<Video, 'seconds' | 'model' | 'prompt'>): number {
  const lengthFactor = Number(job.seconds) / 4;
  const modelFactor = job.model.includes('pro') ? 2 : 1;
  return Math.round(baseMs * lengthFactor * modelFactor * ((job.prompt ?? '').includes(SLOW_MARKER) ? SLOW_FACTOR : 1));
}

/** A 400 as the API would send it: its own text is the provider's message, which the HTTP face serves as it is. */
function badRequest(message: string): DomainError {
  return providerRefused('bad_request', { status: 400, provider: 'the simulator', provider_message: message });
}

function checkSignal(options: CallOptions): void {
  if (options.signal?.aborted) throw new CancelledError();
}
