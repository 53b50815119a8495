import { deleteOutput, toolInput, videoId } from '../schemas';
import { defineOperation } from '../tools';

/** Deletes a job and its assets at the provider. */
export const remove = defineOperation({
  title: 'Delete video',
  describe: () =>
    'Permanently delete a completed or failed video job and its stored assets at the provider. Files already saved locally are kept. Cannot be undone.',
  input: () => toolInput({ video_id: videoId.describe('The completed or failed video to delete.') }),
  outputSchema: deleteOutput,
  hints: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  async run(u, args, context) {
    return u.presenter.deleted(await u.jobs.delete(args.video_id, context));
  },
});
