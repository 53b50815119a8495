import { cancelOutput, toolInput, videoId } from '../schemas';
import { defineOperation } from '../tools';

/** Stops a queued or running job, where the provider can. */
export const cancel = defineOperation({
  title: 'Cancel video',
  describe: (w) =>
    'Stop a queued or running video job. A queued job is removed before it runs: it makes nothing and costs nothing, and its estimate ' +
    'goes back to the budget. A running job is asked to stop; the model decides whether it does, so it may still finish and be billed ' +
    `(follow it with ${w.retrieve}). A finished job cannot be cancelled.`,
  input: () => toolInput({ video_id: videoId.describe('The queued or running video to stop.') }),
  outputSchema: cancelOutput,
  hints: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  async run(u, args, context) {
    return u.presenter.cancelled(await u.cancel.execute(args.video_id, context));
  },
});
