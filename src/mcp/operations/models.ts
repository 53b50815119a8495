import { ENV } from '../../config/variables';
import { model, modelsOutput, toolInput } from '../schemas';
import { defineOperation, reads } from '../tools';
import { DEFAULT_USER } from '../../application/job-ownership';

/** The models known and reported, with what each takes and costs. */
export const models = defineOperation({
  title: 'List video models',
  describe: () =>
    `List the video models this server knows (built-in catalog and ${ENV.models.name}) merged with what the provider reports, with what each ` +
    'takes (its sizes, durations and the controls create has) and its price per second ' +
    'of video where known. Free: call it before creating a video to pick a model and valid values and to see what a clip will cost. ' +
    'What nothing says is null; a model the catalog does not know is passed through as given. Give model to get just that one ' +
    '(the whole list is long).',
  input: () =>
    toolInput({
      model: model.optional().describe('One model id (or a catalog alias): only its entry is returned. Left out: every model known.'),
    }),
  outputSchema: modelsOutput,
  hints: reads,
  async run(u, args, context) {
    const budget = await u.ledger.left(context.caller ?? DEFAULT_USER).catch(() => undefined);
    return u.presenter.models(await u.models.execute(context, args.model), budget);
  },
});
