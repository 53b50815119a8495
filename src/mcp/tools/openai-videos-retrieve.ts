import type { RetrieveVideo } from '../../application/retrieve-video';
import type { Presenter } from '../presenter';
import { videoId, videoOutput, toolInput } from '../schemas';
import { defineTool } from '../tool';

export const openaiVideosRetrieveInput = toolInput({ video_id: videoId });

export function openaiVideosRetrieve(useCase: RetrieveVideo, presenter: Presenter) {
  return defineTool({
    name: 'openai-videos-retrieve',
    title: 'Get video status',
    description:
      "Get a video job's status (queued, in_progress, completed, failed) and progress percentage. Poll this every few seconds after " +
      'create or remix; when status is completed, call openai-videos-download-content. A failed job carries error.code and error.message.',
    inputSchema: openaiVideosRetrieveInput,
    outputSchema: videoOutput,
    annotations: { title: 'Get video status', readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    async handle(args, context) {
      return presenter.video(await useCase.execute(args.video_id, context));
    },
  });
}
