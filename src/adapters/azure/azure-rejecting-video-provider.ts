import { notConfigured } from '../../domain/errors';
import type { MediaContent, ReportedModel, VideoProvider } from '../../domain/ports';
import type { Video, VideoDeleteResponse, VideoPage } from '../../domain/video';

/**
 * Chosen when AZURE_OPENAI_API_KEY is set: Azure's video API is not wired into this server, so every
 * call fails at once with the fix, and no request is made anywhere.
 */
export class AzureRejectingVideoProvider implements VideoProvider {
  private reject(): Promise<never> {
    // The MCP layer says what to do (which variables to change): error-words.ts.
    return Promise.reject(notConfigured('provider_unsupported'));
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
