import type { RetrieveVideo } from '../../../application/retrieve-video';
import type { Presenter } from '../../presenter';
import { toolInput, videoId, videoOutput } from '../../schemas';
import { defineTool } from '../../tool';

export const getVideoStatusInput = toolInput({ video_id: videoId.describe('The video job ID returned from create_video.') });

export function getVideoStatus(useCase: RetrieveVideo, presenter: Presenter) {
  return defineTool({
    name: 'get_video_status',
    title: 'Get video status',
    description: 'Retrieve the current status (queued, in_progress, completed, failed) and progress percentage of a video generation job.',
    inputSchema: getVideoStatusInput,
    outputSchema: videoOutput,
    annotations: { title: 'Get video status', readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    async handle(args, context) {
      return presenter.video(await useCase.execute(args.video_id, context));
    },
  });
}
