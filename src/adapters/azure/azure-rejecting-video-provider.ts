import { notConfigured } from '../../domain/errors';
import type { VideoProvider } from '../../domain/ports';

/** Every call's answer: the MCP layer says what to do (which variables to change), in error-words.ts. */
const reject = (): Promise<never> => Promise.reject(notConfigured('provider_unsupported'));

/**
 * Chosen when AZURE_OPENAI_API_KEY is set: Azure's video API is not wired into this server, so every
 * call fails at once with the fix, and no request is made anywhere.
 */
export class AzureRejectingVideoProvider implements VideoProvider {
  readonly assertReady = reject;
  readonly create = reject;
  readonly remix = reject;
  readonly retrieve = reject;
  readonly list = reject;
  readonly delete = reject;
  readonly downloadContent = reject;
  readonly listModels = reject;
}
