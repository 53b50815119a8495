import { downloadFailed, invalidInput, notFound } from '../domain/errors';
import type { CallOptions, CreateVideoParams, JobRef, MediaContent, RemixVideoParams, ReportedModel, VideoProvider } from '../domain/ports';
import type { ListVideosQuery, Video, VideoDeleteResponse, VideoPage, VideoVariant } from '../domain/video';
import { jpeg, mp4, webp } from './sample-files';

export interface InMemoryVideoProviderOptions {
  /** Status checks a job takes to complete (each one advances its progress); default 2. */
  retrievesToComplete?: number;
  /** Prompts containing this marker fail half-way, as a moderation block would; default `[fail]`. */
  failMarker?: string;
}

/**
 * A VideoProvider that keeps jobs in memory and completes each after a few status checks, with small
 * media that pass the server's checks (an MP4 the verifier accepts, a WebP thumbnail, a JPEG
 * spritesheet). No network, no clock: a test decides the pace by polling. `calls` records every call.
 */
export class InMemoryVideoProvider implements VideoProvider {
  readonly calls: { method: string; args: unknown[] }[] = [];
  private readonly jobs = new Map<string, { video: Video; checks: number; sequence: number }>();
  private sequence = 0;
  private readonly steps: number;
  private readonly failMarker: string;

  constructor(options: InMemoryVideoProviderOptions = {}) {
    this.steps = Math.max(1, options.retrievesToComplete ?? 2);
    this.failMarker = options.failMarker ?? '[fail]';
  }

  count(method: string): number {
    return this.calls.filter((call) => call.method === method).length;
  }

  async assertReady(): Promise<void> {
    // Always ready.
  }

  async create(params: CreateVideoParams, _options?: CallOptions): Promise<Video> {
    this.calls.push({ method: 'create', args: [params] });
    return this.start({ prompt: params.prompt, model: params.model, size: params.size, seconds: params.seconds });
  }

  async listModels(_options?: CallOptions): Promise<ReportedModel[]> {
    this.calls.push({ method: 'listModels', args: [] });
    return [{ id: 'sora-2' }, { id: 'sora-2-pro' }];
  }

  async remix(sourceJob: JobRef, params: RemixVideoParams, _options?: CallOptions): Promise<Video> {
    const videoId = sourceJob.id;
    const prompt = params.prompt;
    this.calls.push({ method: 'remix', args: [videoId, prompt] });
    const source = this.job(videoId).video;
    if (source.status !== 'completed')
      throw invalidInput('video_id', {
        rule: 'remix_needs_completed',
        video_id: videoId,
        status: source.status,
        progress: source.progress,
      });
    return this.start({ prompt, model: source.model, size: source.size, seconds: source.seconds, remixedFrom: videoId });
  }

  async retrieve(ref: JobRef, _options?: CallOptions): Promise<Video> {
    const videoId = ref.id;
    this.calls.push({ method: 'retrieve', args: [videoId] });
    const job = this.job(videoId);
    const { video } = job;
    if (video.status === 'queued' || video.status === 'in_progress') {
      job.checks += 1;
      const failing = (video.prompt ?? '').includes(this.failMarker);
      if (failing && job.checks * 2 >= this.steps) {
        Object.assign(video, { status: 'failed', error: { code: 'moderation_blocked', message: 'The prompt was blocked (simulated).' } });
      } else if (job.checks >= this.steps) {
        Object.assign(video, { status: 'completed', progress: 100, completed_at: this.sequence, expires_at: this.sequence + 86_400 });
      } else {
        Object.assign(video, { status: 'in_progress', progress: Math.round((job.checks / this.steps) * 100) });
      }
    }
    return { ...video };
  }

  async list(query: ListVideosQuery, _options?: CallOptions): Promise<VideoPage> {
    this.calls.push({ method: 'list', args: [query] });
    const ordered = [...this.jobs.values()].sort((a, b) => (query.order === 'asc' ? a.sequence - b.sequence : b.sequence - a.sequence));
    const start = query.after ? ordered.findIndex((job) => job.video.id === query.after) + 1 : 0;
    const limit = query.limit ?? 20;
    const data = ordered.slice(start, start + limit).map((job) => ({ ...job.video }));
    return {
      object: 'list',
      data,
      first_id: data[0]?.id ?? null,
      last_id: data.at(-1)?.id ?? null,
      has_more: start + limit < ordered.length,
    };
  }

  async delete(ref: JobRef, _options?: CallOptions): Promise<VideoDeleteResponse> {
    const videoId = ref.id;
    this.calls.push({ method: 'delete', args: [videoId] });
    this.job(videoId);
    this.jobs.delete(videoId);
    return { id: videoId, object: 'video.deleted', deleted: true };
  }

  async downloadContent(ref: JobRef, variant: VideoVariant, _options?: CallOptions): Promise<MediaContent> {
    const videoId = ref.id;
    this.calls.push({ method: 'downloadContent', args: [videoId, variant] });
    const job = this.job(videoId);
    if (job.video.status !== 'completed') {
      throw downloadFailed({ reason: 'not_ready', video_id: videoId, status: job.video.status, progress: job.video.progress });
    }
    const bytes = variant === 'video' ? mp4() : variant === 'thumbnail' ? webp(32, 18) : jpeg(32, 18);
    const contentType = { video: 'video/mp4', thumbnail: 'image/webp', spritesheet: 'image/jpeg' }[variant];
    return {
      contentType,
      contentLength: bytes.length,
      body: (async function* () {
        yield new Uint8Array(bytes);
      })(),
    };
  }

  private start(request: { prompt: string; model?: string; size?: string; seconds?: string; remixedFrom?: string }): Video {
    this.sequence += 1;
    const video: Video = {
      id: `video_mem${String(this.sequence).padStart(6, '0')}`,
      object: 'video',
      model: request.model ?? 'sora-2',
      status: 'queued',
      progress: 0,
      created_at: this.sequence,
      completed_at: null,
      expires_at: null,
      prompt: request.prompt,
      size: request.size ?? '720x1280',
      seconds: request.seconds ?? '4',
      remixed_from_video_id: request.remixedFrom ?? null,
      error: null,
    };
    this.jobs.set(video.id, { video, checks: 0, sequence: this.sequence });
    return { ...video };
  }

  private job(videoId: string) {
    const job = this.jobs.get(videoId);
    if (!job) throw notFound({ reason: 'at_provider', subject: `Video ${videoId}`, provider: 'the provider' });
    return job;
  }
}
