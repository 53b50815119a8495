/**
 * Fetches a remote reference image for the server, which acts for a model that may be steered:
 * implementations enforce the URL allowlist, refuse private and metadata addresses (after DNS, on
 * every redirect), cap size and time, and send no credentials.
 */
export interface ImageFetcher {
  fetch(url: string, options: { signal?: AbortSignal; maxBytes: number }): Promise<Uint8Array>;
}
