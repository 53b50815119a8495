import type { Toolset } from '../config/choices';
import { ENV } from '../config/variables';
import { shortHash } from '../domain/short-hash';
import { OPTIONAL_OPERATIONS, type OptionalOperation, type ProviderProfile } from '../domain/ports';
import type { Vocabulary } from './error-words';
import { DOCUMENTED_PROVIDER } from './operations/create-inputs';
import { cancel } from './operations/cancel';
import { create } from './operations/create';
import { remove } from './operations/delete';
import { download } from './operations/download';
import { downloadInline } from './operations/download-inline';
import { list } from './operations/list';
import { models } from './operations/models';
import { remix } from './operations/remix';
import { retrieve } from './operations/retrieve';
import { frame } from './operations/frame';
import { join } from './operations/join';
import { sequence } from './operations/sequence';
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
  cancel,
  download,
  downloadInline,
  models,
  frame,
  join,
  sequence,
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
    { operation: 'cancel', name: 'openai-videos-cancel' },
    { operation: 'download', name: 'openai-videos-download-content' },
    { operation: 'models', name: 'openai-videos-models' },
    { operation: 'sequence', name: 'openai-videos-sequence' },
    { operation: 'frame', name: 'openai-videos-frame' },
    { operation: 'join', name: 'openai-videos-join' },
  ],
  sora2: [
    { operation: 'create', name: 'create_video', defaults: { model: 'sora-2', size: '1280x720', seconds: '8' } },
    { operation: 'retrieve', name: 'get_video_status' },
    { operation: 'downloadInline', name: 'download_video' },
    { operation: 'list', name: 'list_videos', defaults: { limit: 10, order: 'desc' } },
    { operation: 'delete', name: 'delete_video' },
    { operation: 'cancel', name: 'cancel_video' },
    { operation: 'remix', name: 'remix_video' },
    { operation: 'models', name: 'list_models' },
    { operation: 'sequence', name: 'create_sequence', defaults: { model: 'sora-2', size: '1280x720', seconds: '8' } },
  ],
};

/**
 * What a server offers: the provider's profile (its controls and optional operations) and whether the caller's jobs
 * are listed from the job registry (team mode), which lists them whatever the provider offers.
 */
export interface Offering {
  provider: ProviderProfile;
  listsFromRegistry?: boolean;
  /** ffmpeg was found and files are kept in folders: frames, joins and sequences are offered (ADR 0020). */
  edits?: boolean;
}

/** The operations that read and write saved videos with ffmpeg. */
const EDITING_OPERATIONS: readonly OperationId[] = ['frame', 'join', 'sequence'];

/** The documentation's offering: every operation and control, each described by what it does. */
export const DOCUMENTED: Offering = { provider: DOCUMENTED_PROVIDER, edits: true };

/** Whether a tool set's row can work against this offering: an optional operation only where the provider has it. */
function offered(row: ToolRow, offering: Offering): boolean {
  if (EDITING_OPERATIONS.includes(row.operation)) return offering.edits === true;
  const operation = row.operation as string;
  if (!(OPTIONAL_OPERATIONS as readonly string[]).includes(operation)) return true;
  if (operation === 'list' && offering.listsFromRegistry) return true;
  return offering.provider.operations.includes(operation as OptionalOperation);
}

/**
 * What a tool's listing depends on besides its set: the provider's words in its descriptions. The build writes the
 * listings of each known provider under this key (build/tool-list.json), and a server uses the ones for its own.
 */
export function listingKey(provider: ProviderProfile): string {
  const { label, controls, operations, variants, lastFrameNeedsFirst, framesOrReferences, controlHints } = provider;
  return JSON.stringify([
    label,
    [...controls].sort(),
    [...operations].sort(),
    [...variants].sort(),
    !!lastFrameNeedsFirst,
    !!framesOrReferences,
    controlHints ?? {},
  ]);
}

/** The file (under build/tool-list/) that holds a provider's listing: one small file each, so start-up reads only its own. */
export function listingFileName(provider: ProviderProfile): string {
  return `${shortHash(listingKey(provider))}.json`;
}

/** Every tool a provider could make a server list (both sets, list included as team mode has it), by name. */
export function listingsFor(provider: ProviderProfile): ToolDefinition[] {
  const offering = { provider, listsFromRegistry: true, edits: true };
  return (['openai-videos', 'sora2'] as const).flatMap((set) => toolsOf(set, undefined, offering));
}

/** The rows of a set that this offering registers. */
function rowsOf(set: Exclude<Toolset, 'all'>, offering: Offering): readonly ToolRow[] {
  return TOOLSET_TABLES[set].filter((row) => offered(row, offering));
}

/** The names a tool set's descriptions and messages use for its own tools, and the provider they speak to. */
export function vocabularyOf(rows: readonly ToolRow[], provider?: ProviderProfile): Vocabulary {
  const name = (...operations: OperationId[]) => rows.find((row) => operations.includes(row.operation))?.name ?? 'the matching tool';
  return {
    create: name('create'),
    retrieve: name('retrieve'),
    download: name('download', 'downloadInline'),
    models: name('models'),
    list: name('list'),
    sequence: name('sequence'),
    ...(provider ? { provider } : {}),
  };
}

/** The tables a tool set is made of (`all` is both, in order). */
function tablesOf(toolset: Toolset): Exclude<Toolset, 'all'>[] {
  return toolset === 'all' ? ['openai-videos', 'sora2'] : [toolset];
}

/** A row made into a tool: its operation's title, words, schemas and hints, under the row's name and defaults. */
export function toolFor(row: ToolRow, useCases: UseCases | undefined, words: Vocabulary): ToolDefinition {
  const operation = OPERATIONS[row.operation];
  // One presenter per tool, speaking the set's words: what it keeps (the last models answer) outlives a call.
  const presenter = useCases?.presenter.speaking(words);
  let input: ToolDefinition['inputSchema'] | undefined;
  return {
    name: row.name,
    title: operation.title,
    description: operation.describe(words),
    // Made on first use (a call, or a list the build did not make): start-up builds no input schema.
    get inputSchema() {
      return (input ??= operation.input(row.defaults ?? {}, words));
    },
    outputSchema: operation.outputSchema,
    annotations: { title: operation.title, ...operation.hints },
    // The job's own tools open the video view in hosts that render MCP Apps; lists and deletes do not.
    view: operation.view ? VIDEO_VIEW_URI : undefined,
    handle: async (args, context) => {
      if (!useCases || !presenter) throw new Error(`tool ${row.name} was built for documentation only`);
      try {
        return await operation.run({ ...useCases, presenter }, args as never, context);
      } catch (error) {
        return presenter.error(error);
      }
    },
  };
}

/** A tool set's tools for an offering (with no use cases, for documentation and tests of the definitions). */
export function toolsOf(set: Exclude<Toolset, 'all'>, useCases?: UseCases, offering: Offering = DOCUMENTED): ToolDefinition[] {
  const rows = rowsOf(set, offering);
  const words = vocabularyOf(rows, offering.provider);
  return rows.map((row) => toolFor(row, useCases, words));
}

/** The server's instructions, naming the active set's own tools and only what the provider offers. */
export function instructionsFor(toolset: Toolset, offering: Offering = DOCUMENTED): string {
  const flows = tablesOf(toolset).map((set) => {
    const words = vocabularyOf(rowsOf(set, offering));
    return (
      `${words.models} to pick a model, size and duration; ${words.create} (or with wait_for_completion=true to wait and save the files in one call); ` +
      `poll ${words.retrieve} until completed; then ${words.download}, which saves a file and returns a resource_link.`
    );
  });
  const verbs = ['create', 'follow', 'download'];
  const extra: Record<string, string> = { remix: 'remix', list: 'list', delete: 'delete', cancel: 'cancel' };
  for (const row of rowsOf(tablesOf(toolset)[0]!, offering)) if (extra[row.operation]) verbs.push(extra[row.operation]!);
  const said = `${verbs.slice(0, -1).join(', ')} and ${verbs.at(-1)!}`;
  const first = vocabularyOf(rowsOf(tablesOf(toolset)[0]!, offering));
  const scenes = rowsOf(tablesOf(toolset)[0]!, offering).some((row) => row.operation === 'sequence')
    ? ` For a scene of several shots that follow on from each other, ${first.sequence} makes, prices and joins them in one go.`
    : '';
  return `${said.charAt(0).toUpperCase()}${said.slice(1)} generated videos. Typical flow: ${flows.join(' Or, with the other names: ')}${scenes}`;
}

/** The tools a tool set registers against an offering. */
export function toolsFor(toolset: Toolset, useCases: UseCases, offering: Offering): ToolDefinition[] {
  return tablesOf(toolset).flatMap((set) => toolsOf(set, useCases, offering));
}

/** The tool definitions of each set, from the tables alone (no use cases), for documentation: every tool there is. */
export function documentedToolsets(): { name: string; env: string; tools: readonly ToolDefinition[] }[] {
  return [
    { name: 'openai-videos', env: 'default', tools: toolsOf('openai-videos') },
    { name: 'sora2', env: `${ENV.toolset.name}=sora2; both sets: ${ENV.toolset.name}=all`, tools: toolsOf('sora2') },
  ];
}
