import { ENV } from '../../config/variables';
import { file, overwrite, toolInput, variant, videoId, videoOutput } from '../schemas';
import { defineOperation, presentJob, writesFiles } from '../tools';

/** Saves one asset of a finished job to a file; the result is the job. */
export const download = defineOperation({
  title: 'Download video content',
  describe: () =>
    `Save a completed video's MP4 (variant "video"), WebP thumbnail or JPEG spritesheet to a file inside ${ENV.roots.name} and return a ` +
    "resource_link to it (a thumbnail or spritesheet also comes back as an image to look at; videos are never inlined). The result's JSON is " +
    'the video job, retrieved after the download. Assets expire at the provider (see expires_at), so save them promptly. An existing file is ' +
    'never replaced unless overwrite is true.',
  view: true,
  input: () =>
    toolInput({ video_id: videoId.describe('A completed video.'), variant: variant.default('video'), file: file.optional(), overwrite }),
  outputSchema: videoOutput,
  hints: writesFiles,
  async run(u, args, context) {
    return presentJob(
      u,
      await u.download.execute({ videoId: args.video_id, variant: args.variant, file: args.file, overwrite: args.overwrite }, context),
    );
  },
});
