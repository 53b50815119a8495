import type { ListVideos } from '../../application/list-videos';
import type { Presenter } from '../presenter';
import { listInputs, videoPageOutput, toolInput } from '../schemas';
import { defineTool } from '../tool';

export const openaiVideosListInput = toolInput(listInputs);

export function openaiVideosList(useCase: ListVideos, presenter: Presenter) {
  return defineTool({
    name: 'openai-videos-list',
    title: 'List videos',
    description:
      'List video jobs, one page at a time (newest first by default). When has_more is true, call again with after set to last_id.',
    inputSchema: openaiVideosListInput,
    outputSchema: videoPageOutput,
    annotations: { title: 'List videos', readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    async handle(args, context) {
      return presenter.page(await useCase.execute({ after: args.after, limit: args.limit, order: args.order }, context));
    },
  });
}
