import { toolInput, videoId, videoOutput } from '../schemas';
import { defineOperation, reads } from '../tools';

/** A job's status and progress. */
export const retrieve = defineOperation({
  title: 'Get video status',
  describe: (w) =>
    "Get a video job's status (queued, in_progress, completed, failed) and progress percentage. Poll this every few seconds after " +
    `create or remix; when status is completed, call ${w.download}. A failed job carries error.code and error.message.`,
  view: true,
  input: () => toolInput({ video_id: videoId }),
  outputSchema: videoOutput,
  hints: reads,
  async run(u, args, context) {
    return u.presenter.video(await u.jobs.retrieve(args.video_id, context));
  },
});
