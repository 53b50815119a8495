import type { CreateVideo } from '../../../application/create-video';
import { NO_WAIT } from '../../../application/follow-job';
import type { Presenter } from '../../presenter';
import { model, prompt, seconds, size, toolInput, videoOutput } from '../../schemas';
import { defineTool } from '../../tool';
import { referenceInputs, toCreateOptions } from '../create-inputs';

/** The README seed's defaults for this tool set: landscape 1280x720, 8 seconds. */
export const createVideoInput = toolInput({
  prompt: prompt.describe('Text description of the video. Be specific about shot type, subject, action, setting, and lighting.'),
  model: model.default('sora-2'),
  size: size.default('1280x720'),
  seconds: seconds.default('8'),
  ...referenceInputs,
});

export function createVideo(useCase: CreateVideo, presenter: Presenter) {
  return defineTool({
    name: 'create_video',
    title: 'Create video',
    description:
      'Start a new video generation job (costs money at a paid provider). Returns the job with its status (queued, in_progress, completed, failed). ' +
      'Rendering takes minutes: poll get_video_status, then call download_video when status is completed.',
    inputSchema: createVideoInput,
    outputSchema: videoOutput,
    annotations: { title: 'Create video', readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    async handle(args, context) {
      return presenter.job(await useCase.execute({ ...toCreateOptions(args), ...NO_WAIT }, context));
    },
  });
}
