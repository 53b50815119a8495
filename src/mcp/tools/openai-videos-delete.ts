import type { DeleteVideo } from '../../application/delete-video';
import type { Presenter } from '../presenter';
import { deleteOutput, videoId, toolInput } from '../schemas';
import { defineTool } from '../tool';

export const openaiVideosDeleteInput = toolInput({ video_id: videoId.describe('The completed or failed video to delete.') });

export function openaiVideosDelete(useCase: DeleteVideo, presenter: Presenter) {
  return defineTool({
    name: 'openai-videos-delete',
    title: 'Delete video',
    description:
      'Permanently delete a completed or failed video job and its stored assets at the provider. Files already saved locally are kept. Cannot be undone.',
    inputSchema: openaiVideosDeleteInput,
    outputSchema: deleteOutput,
    annotations: { title: 'Delete video', readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
    async handle(args, context) {
      return presenter.deleted(await useCase.execute(args.video_id, context));
    },
  });
}
