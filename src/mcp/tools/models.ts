import type { ListModels } from '../../application/list-models';
import type { Presenter } from '../presenter';
import { modelsOutput, toolInput } from '../schemas';
import { defineTool } from '../tool';

export const modelsInput = toolInput({});

/** One definition for both tool sets' models tool (`openai-videos-models`, `list_models`). */
export function modelsTool(name: 'openai-videos-models' | 'list_models', useCase: ListModels, presenter: Presenter) {
  return defineTool({
    name,
    title: 'List video models',
    description:
      'List the video models this server knows (built-in catalog and SORA2_MCP_MODELS) merged with the ids the provider reports, with the sizes, ' +
      'durations (seconds), reference-image support and remix support of each. Free: call it before creating a video to pick a valid model, size and duration. ' +
      'Ids the provider reports but the catalog does not know have null capabilities; they are passed through as given.',
    inputSchema: modelsInput,
    outputSchema: modelsOutput,
    annotations: { title: 'List video models', readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    async handle(_args, context) {
      return presenter.models(await useCase.execute(context));
    },
  });
}
