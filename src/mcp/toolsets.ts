import type { Toolset } from '../config/choices';
import { ENV } from '../config/variables';
import type { Vocabulary } from './error-words';
import { create } from './operations/create';
import { remove } from './operations/delete';
import { download } from './operations/download';
import { downloadInline } from './operations/download-inline';
import { list } from './operations/list';
import { models } from './operations/models';
import { remix } from './operations/remix';
import { retrieve } from './operations/retrieve';
import type { InputDefaults, Operation, ToolDefinition, UseCases } from './tools';
import { VIDEO_VIEW_URI } from './view-contract';

export type { UseCases } from './tools';

/** Every operation, one file each: a tool set names them. A new operation is its file and a line here. */
export const OPERATIONS = {
  create,
  remix,
  retrieve,
  list,
  delete: remove,
  download,
  downloadInline,
  models,
} satisfies Record<string, Operation>;

export type OperationId = keyof typeof OPERATIONS;

export { TOOLSETS, type Toolset } from '../config/choices';

/** One tool of a set: the operation it offers, its name in the set, and the set's own input defaults. */
export interface ToolRow {
  operation: OperationId;
  name: string;
  defaults?: InputDefaults;
}

/**
 * The tool sets, as names over the one definition of each operation (operations/): a set gives each
 * tool its name and, for the `sora2` set, the defaults of the original sora2-mcp README (1280x720,
 * 8 seconds, 10 per page) and its own download (`downloadInline`, another result shape). Titles,
 * descriptions, schemas and hints are the operation's; descriptions name the set's own tools.
 */
export const TOOLSET_TABLES: Record<Exclude<Toolset, 'all'>, readonly ToolRow[]> = {
  'openai-videos': [
    { operation: 'create', name: 'openai-videos-create' },
    { operation: 'remix', name: 'openai-videos-remix' },
    { operation: 'retrieve', name: 'openai-videos-retrieve' },
    { operation: 'list', name: 'openai-videos-list' },
    { operation: 'delete', name: 'openai-videos-delete' },
    { operation: 'download', name: 'openai-videos-download-content' },
    { operation: 'models', name: 'openai-videos-models' },
  ],
  sora2: [
    { operation: 'create', name: 'create_video', defaults: { model: 'sora-2', size: '1280x720', seconds: '8' } },
    { operation: 'retrieve', name: 'get_video_status' },
    { operation: 'downloadInline', name: 'download_video' },
    { operation: 'list', name: 'list_videos', defaults: { limit: 10, order: 'desc' } },
    { operation: 'delete', name: 'delete_video' },
    { operation: 'remix', name: 'remix_video' },
    { operation: 'models', name: 'list_models' },
  ],
};

/** The names a tool set's descriptions and messages use for its own tools. */
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

/** A row made into a tool: its operation's title, words, schemas and hints, under the row's name and defaults. */
export function toolFor(row: ToolRow, useCases: UseCases | undefined, words: Vocabulary): ToolDefinition {
  const operation = OPERATIONS[row.operation];
  return {
    name: row.name,
    title: operation.title,
    description: operation.describe(words),
    inputSchema: operation.input(row.defaults ?? {}),
    outputSchema: operation.outputSchema,
    annotations: { title: operation.title, ...operation.hints },
    // The job's own tools open the video view in hosts that render MCP Apps; lists and deletes do not.
    view: operation.view ? VIDEO_VIEW_URI : undefined,
    handle: async (args, context) => {
      if (!useCases) throw new Error(`tool ${row.name} was built for documentation only`);
      const presenter = useCases.presenter.speaking(words);
      try {
        return await operation.run({ ...useCases, presenter }, args as never, context);
      } catch (error) {
        return presenter.error(error);
      }
    },
  };
}

/** A tool set's tools (with no use cases, for documentation and tests of the definitions). */
export function toolsOf(set: Exclude<Toolset, 'all'>, useCases?: UseCases): ToolDefinition[] {
  const words = vocabularyOf(TOOLSET_TABLES[set]);
  return TOOLSET_TABLES[set].map((row) => toolFor(row, useCases, words));
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
  return tablesOf(toolset).flatMap((set) => toolsOf(set, useCases));
}

/** The tool definitions of each set, from the tables alone (no use cases), for documentation. */
export function documentedToolsets(): { name: string; env: string; tools: readonly ToolDefinition[] }[] {
  return [
    { name: 'openai-videos', env: 'default', tools: toolsOf('openai-videos') },
    { name: 'sora2', env: `${ENV.toolset.name}=sora2; both sets: ${ENV.toolset.name}=all`, tools: toolsOf('sora2') },
  ];
}
