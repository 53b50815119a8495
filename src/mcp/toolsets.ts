import type { CreateVideo } from '../application/create-video';
import type { DeleteVideo } from '../application/delete-video';
import type { DownloadContent } from '../application/download-content';
import type { ListVideos } from '../application/list-videos';
import type { RemixVideo } from '../application/remix-video';
import type { RetrieveVideo } from '../application/retrieve-video';
import type { Presenter } from './presenter';
import type { ToolDefinition } from './tool';
import { openaiVideosCreate } from './tools/openai-videos-create';
import { openaiVideosDelete } from './tools/openai-videos-delete';
import { openaiVideosDownloadContent } from './tools/openai-videos-download-content';
import { openaiVideosList } from './tools/openai-videos-list';
import { openaiVideosRemix } from './tools/openai-videos-remix';
import { openaiVideosRetrieve } from './tools/openai-videos-retrieve';

export interface UseCases {
  create: CreateVideo;
  remix: RemixVideo;
  retrieve: RetrieveVideo;
  list: ListVideos;
  delete: DeleteVideo;
  download: DownloadContent;
  presenter: Presenter;
}

export type Toolset = 'openai-videos';

/** The explicit list of tools each tool set registers. */
export function toolsFor(_toolset: Toolset, u: UseCases): ToolDefinition[] {
  return [
    openaiVideosCreate(u.create, u.presenter),
    openaiVideosRemix(u.remix, u.presenter),
    openaiVideosRetrieve(u.retrieve, u.presenter),
    openaiVideosList(u.list, u.presenter),
    openaiVideosDelete(u.delete, u.presenter),
    openaiVideosDownloadContent(u.download, u.presenter),
  ];
}
