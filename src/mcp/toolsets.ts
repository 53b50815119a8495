import type { CreateVideo } from '../application/create-video';
import type { DeleteVideo } from '../application/delete-video';
import type { DownloadContent } from '../application/download-content';
import type { ListModels } from '../application/list-models';
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
import { modelsTool } from './tools/models';
import { createVideo } from './tools/sora2/create-video';
import { deleteVideo } from './tools/sora2/delete-video';
import { downloadVideo } from './tools/sora2/download-video';
import { getVideoStatus } from './tools/sora2/get-video-status';
import { listVideos } from './tools/sora2/list-videos';
import { remixVideo } from './tools/sora2/remix-video';

export interface UseCases {
  create: CreateVideo;
  remix: RemixVideo;
  retrieve: RetrieveVideo;
  list: ListVideos;
  delete: DeleteVideo;
  download: DownloadContent;
  models: ListModels;
  presenter: Presenter;
}

export const TOOLSETS = ['openai-videos', 'sora2', 'all'] as const;
export type Toolset = (typeof TOOLSETS)[number];

/**
 * The explicit list of tools each tool set registers. Both sets present the same use cases: the
 * `openai-videos-*` names of the detailed plan, and the `create_video`-style names of the README seed.
 */
export function toolsFor(toolset: Toolset, u: UseCases): ToolDefinition[] {
  const openaiVideos = (): ToolDefinition[] => [
    openaiVideosCreate(u.create, u.presenter),
    openaiVideosRemix(u.remix, u.presenter),
    openaiVideosRetrieve(u.retrieve, u.presenter),
    openaiVideosList(u.list, u.presenter),
    openaiVideosDelete(u.delete, u.presenter),
    openaiVideosDownloadContent(u.download, u.presenter),
    modelsTool('openai-videos-models', u.models, u.presenter),
  ];
  const sora2 = (): ToolDefinition[] => [
    createVideo(u.create, u.presenter),
    getVideoStatus(u.retrieve, u.presenter),
    downloadVideo(u.download, u.presenter),
    listVideos(u.list, u.presenter),
    deleteVideo(u.delete, u.presenter),
    remixVideo(u.remix, u.presenter),
    modelsTool('list_models', u.models, u.presenter),
  ];
  if (toolset === 'openai-videos') return openaiVideos();
  if (toolset === 'sora2') return sora2();
  return [...openaiVideos(), ...sora2()];
}
