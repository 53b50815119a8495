import { listInputs, toolInput, videoPageOutput } from '../schemas';
import { defineOperation, type InputDefaults, reads, withDefault } from '../tools';

/** One page of the provider's jobs. */
export const list = defineOperation({
  title: 'List videos',
  describe: () =>
    'List video jobs, one page at a time (newest first by default). When has_more is true, call again with after set to last_id.',
  input: (d: InputDefaults) =>
    toolInput({
      after: listInputs.after,
      limit: withDefault(listInputs.limit, d.limit),
      order: withDefault(listInputs.order, d.order),
    }),
  outputSchema: videoPageOutput,
  hints: reads,
  async run(u, args, context) {
    return u.presenter.page(await u.jobs.list({ after: args.after, limit: args.limit, order: args.order }, context));
  },
});
