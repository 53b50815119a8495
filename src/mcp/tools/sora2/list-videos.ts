import type { ListVideos } from '../../../application/list-videos';
import type { Presenter } from '../../presenter';
import { listInputs, toolInput, videoPageOutput } from '../../schemas';
import { defineTool } from '../../tool';

export const listVideosInput = toolInput({
  limit: listInputs.limit.unwrap().default(10).describe('Number of videos to return, 1 to 100. Default 10.'),
  after: listInputs.after,
  order: listInputs.order.unwrap().default('desc').describe('Sort order by creation date: "asc" or "desc" (default).'),
});

export function listVideos(useCase: ListVideos, presenter: Presenter) {
  return defineTool({
    name: 'list_videos',
    title: 'List videos',
    description:
      'List video jobs with pagination, for enumeration, dashboards or housekeeping. When has_more is true, pass after=last_id for the next page.',
    inputSchema: listVideosInput,
    outputSchema: videoPageOutput,
    annotations: { title: 'List videos', readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    async handle(args, context) {
      return presenter.page(await useCase.execute({ after: args.after, limit: args.limit, order: args.order }, context));
    },
  });
}
