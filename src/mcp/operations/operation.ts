import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { z } from 'zod';
import type { CreateVideo } from '../../application/use-cases/create-video';
import type { DeleteVideo } from '../../application/use-cases/delete-video';
import type { DownloadContent } from '../../application/use-cases/download-content';
import type { ListModels } from '../../application/use-cases/list-models';
import type { ListVideos } from '../../application/use-cases/list-videos';
import type { MediaCatalog } from '../../application/media-catalog';
import type { RemixVideo } from '../../application/use-cases/remix-video';
import type { RetrieveVideo } from '../../application/use-cases/retrieve-video';
import type { Vocabulary } from '../error-words';
import type { Presenter } from '../presenter';
import type { ToolContext } from '../tool';

/** The use cases and the presenter an operation runs with. */
export interface UseCases {
  create: CreateVideo;
  remix: RemixVideo;
  retrieve: RetrieveVideo;
  list: ListVideos;
  delete: DeleteVideo;
  download: DownloadContent;
  models: ListModels;
  media: MediaCatalog;
  presenter: Presenter;
}

/** What a tool set may change about an operation's inputs: only their defaults. */
export interface InputDefaults {
  model?: string;
  size?: string;
  seconds?: string;
  limit?: number;
  order?: 'asc' | 'desc';
}

/** The four behaviour hints, all stated explicitly. */
export interface Hints {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint: boolean;
}

/**
 * One operation, defined once, in a file of its own: its title and description (in the words of the
 * tool set that offers it: its own tool names), its inputs (given the set's defaults), its output
 * schema, its behaviour hints and the call it makes. A tool set only names it (see toolsets.ts).
 */
export interface Operation<Input extends z.ZodObject = z.ZodObject> {
  title: string;
  /** What the tool does and how to use it, naming the tool set's own tools. */
  describe(words: Vocabulary): string;
  /** Its results open the video view in hosts that render MCP Apps. */
  view?: boolean;
  input(defaults: InputDefaults): Input;
  outputSchema: z.ZodObject;
  hints: Hints;
  run(useCases: UseCases, args: z.output<Input>, context: ToolContext): Promise<CallToolResult>;
}

export function defineOperation<Input extends z.ZodObject>(operation: Operation<Input>): Operation {
  return operation;
}
