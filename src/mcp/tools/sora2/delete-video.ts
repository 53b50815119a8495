import type { DeleteVideo } from '../../../application/delete-video';
import type { Presenter } from '../../presenter';
import { deleteOutput, toolInput, videoId } from '../../schemas';
import { defineTool } from '../../tool';

export const deleteVideoInput = toolInput({ video_id: videoId.describe('The video job ID to delete.') });

export function deleteVideo(useCase: DeleteVideo, presenter: Presenter) {
  return defineTool({
    name: 'delete_video',
    title: 'Delete video',
    description: "Delete a video from the provider's storage. This action is permanent; files already saved locally are kept.",
    inputSchema: deleteVideoInput,
    outputSchema: deleteOutput,
    annotations: { title: 'Delete video', readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
    async handle(args, context) {
      return presenter.deleted(await useCase.execute(args.video_id, context));
    },
  });
}
