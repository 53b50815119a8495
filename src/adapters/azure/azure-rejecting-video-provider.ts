import { DomainError } from '../../domain/errors';
import type { MediaContent, ReportedModel, VideoProvider } from '../../domain/ports';
import type { Video, VideoDeleteResponse, VideoPage } from '../../domain/video';

/**
 * Chosen when AZURE_OPENAI_API_KEY is set: Azure's video API is not wired into this server, so every
 * call fails at once with the fix, and no request is made anywhere.
 */
export class AzureRejectingVideoProvider implements VideoProvider {
  static readonly message =
    'AZURE_OPENAI_API_KEY is set, but Azure OpenAI video support is not enabled in sora2-mcp, so no request was sent. ' +
    'Remove AZURE_OPENAI_API_KEY from the server environment and use SORA2_MCP_API_KEY (or OPENAI_API_KEY) with OPENAI_BASE_URL ' +
    'pointing at a provider that serves /v1/videos.';

  private reject(): Promise<never> {
    return Promise.reject(new DomainError('provider_unsupported', AzureRejectingVideoProvider.message));
  }

  assertReady(): Promise<void> {
    return this.reject();
  }
  create(): Promise<Video> {
    return this.reject();
  }
  remix(): Promise<Video> {
    return this.reject();
  }
  retrieve(): Promise<Video> {
    return this.reject();
  }
  list(): Promise<VideoPage> {
    return this.reject();
  }
  delete(): Promise<VideoDeleteResponse> {
    return this.reject();
  }
  downloadContent(): Promise<MediaContent> {
    return this.reject();
  }
  listModels(): Promise<ReportedModel[]> {
    return this.reject();
  }
}
