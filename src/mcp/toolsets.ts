import { INLINE_DOWNLOAD_MAX_BYTES } from './limits';
import { ENV } from '../config/variables';
import type { Toolset } from '../config/choices';
import { OPERATIONS, type InputDefaults, type OperationId, type UseCases } from './operations';
import type { Vocabulary } from './presenter';
import type { ToolDefinition } from './tool';
import { VIDEO_VIEW_URI } from './view-contract';

const VIEW_OPERATIONS = new Set<OperationId>(['create', 'remix', 'retrieve', 'download', 'downloadInline']);

export type { UseCases } from './operations';

export { TOOLSETS, type Toolset } from '../config/choices';

/** One row of a tool set: a name, a title and a description over one operation, and its defaults. */
export interface ToolRow {
  operation: OperationId;
  name: string;
  title: string;
  description: string;
  defaults?: InputDefaults;
}

/**
 * The tool sets, as data: each a table over the same operations (operations/index.ts). The names of
 * the `openai-videos` set follow the openai-videos convention; the `sora2` set keeps the `create_video`
 * names and defaults (1280x720, 8 seconds, 10 per page) of the original sora2-mcp README. Descriptions
 * name the set's own tools only.
 */
export const TOOLSET_TABLES: Record<Exclude<Toolset, 'all'>, readonly ToolRow[]> = {
  'openai-videos': [
    {
      operation: 'create',
      name: 'openai-videos-create',
      title: 'Create video',
      description:
        'Start a video generation job. It costs money at a paid provider: the result states its estimated_cost_usd, and a job over the ' +
        'spending cap the user set is refused before anything is sent. Returns the job (status queued/in_progress) at once, or with ' +
        'wait_for_completion=true waits until it completes and saves download_variants as files (resource_link results; an existing file is never ' +
        'replaced unless overwrite is true). Rendering takes from about a minute to several; without waiting, poll openai-videos-retrieve and then ' +
        'call openai-videos-download-content. Call openai-videos-models first to pick a model and see what it takes and costs. Optional ' +
        'input_reference and last_frame set the first and last frame (fitted to the video size as input_reference_fit says); reference_images keep ' +
        'a character or style; generate_audio, seed, aspect_ratio with resolution, and provider_options reach models that take them.',
    },
    {
      operation: 'remix',
      name: 'openai-videos-remix',
      title: 'Remix video',
      description:
        'Start a new job that remixes a completed video with a targeted change, keeping its structure (costs money at a paid provider: the ' +
        'result states its estimated_cost_usd, and a remix over the spending cap is refused before anything is sent). Same waiting and ' +
        'downloading options as openai-videos-create. The API takes no reference image for a remix; providers without remix (OpenRouter) say so.',
    },
    {
      operation: 'retrieve',
      name: 'openai-videos-retrieve',
      title: 'Get video status',
      description:
        "Get a video job's status (queued, in_progress, completed, failed) and progress percentage. Poll this every few seconds after " +
        'create or remix; when status is completed, call openai-videos-download-content. A failed job carries error.code and error.message.',
    },
    {
      operation: 'list',
      name: 'openai-videos-list',
      title: 'List videos',
      description:
        'List video jobs, one page at a time (newest first by default). When has_more is true, call again with after set to last_id.',
    },
    {
      operation: 'delete',
      name: 'openai-videos-delete',
      title: 'Delete video',
      description:
        'Permanently delete a completed or failed video job and its stored assets at the provider. Files already saved locally are kept. Cannot be undone.',
    },
    {
      operation: 'download',
      name: 'openai-videos-download-content',
      title: 'Download video content',
      description:
        `Save a completed video's MP4 (variant "video"), WebP thumbnail or JPEG spritesheet to a file inside ${ENV.roots.name} and return a ` +
        "resource_link to it (a thumbnail or spritesheet also comes back as an image to look at; videos are never inlined). The result's JSON is " +
        'the video job, retrieved after the download. Assets expire at the provider (see expires_at), so save them promptly. An existing file is ' +
        'never replaced unless overwrite is true.',
    },
    {
      operation: 'models',
      name: 'openai-videos-models',
      title: 'List video models',
      description: modelsDescription(),
    },
  ],
  sora2: [
    {
      operation: 'create',
      name: 'create_video',
      title: 'Create video',
      description:
        'Start a new video generation job. It costs money at a paid provider: the result states its estimated_cost_usd, and a job over the ' +
        'spending cap the user set is refused before anything is sent. Returns the job with its status (queued, in_progress, completed, failed). ' +
        'Rendering takes minutes: poll get_video_status, then call download_video when status is completed (or pass wait_for_completion=true to ' +
        'wait and save the files in this call). Call list_models first to pick a model and see what it takes and costs.',
      defaults: { model: 'sora-2', size: '1280x720', seconds: '8' },
    },
    {
      operation: 'retrieve',
      name: 'get_video_status',
      title: 'Get video status',
      description:
        'Retrieve the current status (queued, in_progress, completed, failed) and progress percentage of a video generation job.',
    },
    {
      operation: 'downloadInline',
      name: 'download_video',
      title: 'Download video',
      description:
        'Download a completed video (MP4), its thumbnail (WebP) or its spritesheet (JPEG). Only works when status is completed. The file is saved ' +
        `inside ${ENV.roots.name} under a free name (never replacing a file unless overwrite is true) and returned as a resource_link; assets up to ` +
        `${INLINE_DOWNLOAD_MAX_BYTES / 1024} KiB also come back as data_base64 (videos and most images are larger: use the file).`,
    },
    {
      operation: 'list',
      name: 'list_videos',
      title: 'List videos',
      description:
        'List video jobs with pagination, for enumeration, dashboards or housekeeping. When has_more is true, pass after=last_id for the next page.',
      defaults: { limit: 10, order: 'desc' },
    },
    {
      operation: 'delete',
      name: 'delete_video',
      title: 'Delete video',
      description: "Delete a video from the provider's storage. This action is permanent; files already saved locally are kept.",
    },
    {
      operation: 'remix',
      name: 'remix_video',
      title: 'Remix video',
      description:
        'Create a new video by remixing a completed one with a targeted adjustment, preserving its structure and composition (costs money at a paid ' +
        'provider). Returns the new job; poll get_video_status (or pass wait_for_completion=true).',
    },
    {
      operation: 'models',
      name: 'list_models',
      title: 'List video models',
      description: modelsDescription(),
    },
  ],
};

function modelsDescription(): string {
  return (
    `List the video models this server knows (built-in catalog and ${ENV.models.name}) merged with what the provider reports, with what each ` +
    'takes (sizes, durations, first and last frame, reference images, sound, seed, aspect ratios, resolutions, remix) and its price per second ' +
    'of video where known. Free: call it before creating a video to pick a model and valid values and to see what a clip will cost. ' +
    'What nothing says is null; a model the catalog does not know is passed through as given.'
  );
}

/** The names a tool set's messages use for its own tools. */
export function vocabularyOf(rows: readonly ToolRow[]): Vocabulary {
  const name = (...operations: OperationId[]) => rows.find((row) => operations.includes(row.operation))?.name ?? 'the matching tool';
  return {
    create: name('create'),
    retrieve: name('retrieve'),
    download: name('download', 'downloadInline'),
    models: name('models'),
    list: name('list'),
  };
}

/** The tables a tool set is made of (`all` is both, in order). */
function tablesOf(toolset: Toolset): Exclude<Toolset, 'all'>[] {
  return toolset === 'all' ? ['openai-videos', 'sora2'] : [toolset];
}

/** A row made into a tool: its operation's schemas and hints, its own name, title and description. */
export function toolFor(row: ToolRow, useCases: UseCases | undefined, words?: Vocabulary): ToolDefinition {
  const operation = OPERATIONS[row.operation];
  return {
    name: row.name,
    title: row.title,
    description: row.description,
    inputSchema: operation.input(row.defaults ?? {}),
    outputSchema: operation.outputSchema,
    annotations: { title: row.title, ...operation.hints },
    // The job's own tools open the video view in hosts that render MCP Apps; lists and deletes do not.
    view: VIEW_OPERATIONS.has(row.operation) ? VIDEO_VIEW_URI : undefined,
    handle: async (args, context) => {
      if (!useCases) throw new Error(`tool ${row.name} was built for documentation only`);
      const presenter = words ? useCases.presenter.speaking(words) : useCases.presenter;
      try {
        return await operation.run({ ...useCases, presenter }, args, context);
      } catch (error) {
        return presenter.error(error);
      }
    },
  };
}

/** The server's instructions, naming the active set's own tools. */
export function instructionsFor(toolset: Toolset): string {
  const flows = tablesOf(toolset).map((set) => {
    const words = vocabularyOf(TOOLSET_TABLES[set]);
    return (
      `${words.models} to pick a model, size and duration; ${words.create} (or with wait_for_completion=true to wait and save the files in one call); ` +
      `poll ${words.retrieve} until completed; then ${words.download}, which saves a file and returns a resource_link.`
    );
  });
  return `Create, follow, download, remix, list and delete generated videos. Typical flow: ${flows.join(' Or, with the other names: ')}`;
}

/** The tools a tool set registers. */
export function toolsFor(toolset: Toolset, useCases: UseCases): ToolDefinition[] {
  return tablesOf(toolset).flatMap((set) => TOOLSET_TABLES[set].map((row) => toolFor(row, useCases, vocabularyOf(TOOLSET_TABLES[set]))));
}
