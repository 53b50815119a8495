import type { CreateVideo } from '../../application/create-video';
import type { Presenter } from '../presenter';
import { followInputs, model, prompt, seconds, size, toFollowOptions, toolInput, videoOutput } from '../schemas';
import { defineTool } from '../tool';
import { referenceInputs, toCreateOptions } from './create-inputs';

export const openaiVideosCreateInput = toolInput({
  prompt: prompt.describe('What the video shows: shot type, subject, action, setting, lighting. 1 to 32000 characters.'),
  model: model.optional(),
  seconds: seconds.optional(),
  size: size.optional(),
  ...referenceInputs,
  ...followInputs,
});

export function openaiVideosCreate(useCase: CreateVideo, presenter: Presenter) {
  return defineTool({
    name: 'openai-videos-create',
    title: 'Create video',
    description:
      'Start a video generation job (costs money at a paid provider). Returns the job (status queued/in_progress) at once, or with ' +
      'wait_for_completion=true waits until it completes and saves download_variants as files (resource_link results). ' +
      'Rendering takes from about a minute to several; without waiting, poll openai-videos-retrieve and then call openai-videos-download-content. ' +
      'Optional input_reference guides the first frame; it is fitted to the video size as input_reference_fit says.',
    inputSchema: openaiVideosCreateInput,
    outputSchema: videoOutput,
    annotations: { title: 'Create video', readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
    async handle(args, context) {
      return presenter.job(await useCase.execute({ ...toCreateOptions(args), ...toFollowOptions(args) }, context));
    },
  });
}
