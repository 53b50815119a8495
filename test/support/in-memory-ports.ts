import { jpeg, mp4, webp } from './sample-files';
import { DomainError } from '../../src/domain/errors';
import type {
  CallOptions,
  CreateVideoParams,
  JobRef,
  MediaContent,
  RemixVideoParams,
  ReportedModel,
  VideoProvider,
} from '../../src/domain/ports';
import type { ListVideosQuery, Video, VideoDeleteResponse, VideoPage, VideoVariant } from '../../src/domain/video';

export function video(overrides: Partial<Video> = {}): Video {
  return {
    id: 'video_1',
    object: 'video',
    model: 'sora-2',
    status: 'queued',
    progress: 0,
    created_at: 1,
    completed_at: null,
    expires_at: null,
    prompt: 'p',
    size: '720x1280',
    seconds: '4',
    remixed_from_video_id: null,
    error: null,
    ...overrides,
  };
}

/**
 * A VideoProvider for unit tests: `retrieves` is a script of answers (a Video or an error) played in
 * order, the last repeating. Calls are recorded.
 */
export class ScriptedProvider implements VideoProvider {
  readonly calls: { method: string; args: unknown[] }[] = [];
  retrieves: (Partial<Video> | DomainError)[] = [{ status: 'completed', progress: 100 }];
  downloads: (MediaContent | DomainError)[] = [];
  created: Partial<Video> = {};

  private record(method: string, ...args: unknown[]): void {
    this.calls.push({ method, args });
  }

  count(method: string): number {
    return this.calls.filter((call) => call.method === method).length;
  }

  /** What the provider says a job takes, when a test gives it an expectation. */
  expectedRenderMs: ((job: Video) => number | undefined) | undefined;
  ready: DomainError | undefined;
  async assertReady(): Promise<void> {
    if (this.ready) throw this.ready;
  }

  async create(params: CreateVideoParams, options?: CallOptions): Promise<Video> {
    this.record('create', params, options);
    return video({ prompt: params.prompt, ...this.created });
  }
  async remix(source: JobRef, params: RemixVideoParams): Promise<Video> {
    this.record('remix', source.id, params.prompt);
    return video({ id: 'video_remix', prompt: params.prompt, remixed_from_video_id: source.id });
  }
  models: string[] | DomainError = ['sora-2'];
  async listModels(): Promise<ReportedModel[]> {
    this.record('listModels');
    if (this.models instanceof DomainError) throw this.models;
    return this.models.map((id) => ({ id }));
  }
  async retrieve(job: JobRef, options?: CallOptions): Promise<Video> {
    const videoId = job.id;
    this.record('retrieve', videoId, options);
    const next = this.retrieves.length > 1 ? this.retrieves.shift()! : this.retrieves[0]!;
    if (next instanceof DomainError) throw next;
    return video({ id: videoId, ...next });
  }
  async list(query: ListVideosQuery): Promise<VideoPage> {
    this.record('list', query);
    return { object: 'list', data: [], first_id: null, last_id: null, has_more: false };
  }
  async delete(job: JobRef): Promise<VideoDeleteResponse> {
    const videoId = job.id;
    this.record('delete', videoId);
    return { id: videoId, object: 'video.deleted', deleted: true };
  }
  async downloadContent(job: JobRef, variant: VideoVariant): Promise<MediaContent> {
    const videoId = job.id;
    this.record('downloadContent', videoId, variant);
    const next = this.downloads.shift();
    if (next instanceof DomainError) throw next;
    const type = { video: 'video/mp4', thumbnail: 'image/webp', spritesheet: 'image/jpeg' }[variant];
    const bytes = variant === 'video' ? mp4() : variant === 'thumbnail' ? webp(32, 18) : jpeg(32, 18);
    return (
      next ?? {
        contentType: type,
        body: (async function* () {
          yield bytes;
        })(),
      }
    );
  }
}

/** The published in-memory store, under the name the unit tests use. */
export { InMemoryMediaStore as MemoryMediaStore } from '../../src/testing/in-memory-media-store';
