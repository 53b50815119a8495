import type { LookupFunction } from 'node:net';
import { isIP } from 'node:net';
import { CancelledError, DomainError, imageRefused, urlRefused, type UrlRefusal } from '../../domain/errors';
import type { ImageFetcher } from '../../domain/ports';
import { bareHost, hasEncodedSeparator, isPublicAddress, ruleMatches, type UrlRule } from './url-allowlist';

export interface GuardedImageFetcherOptions {
  /** Parsed MEDIA_GEN_URLS; undefined means any public http(s) URL is allowed. */
  allowlist: readonly UrlRule[] | undefined;
  /** Whole-fetch deadline, redirects included. */
  timeoutMs?: number;
  maxRedirects?: number;
  /** Resolves a host to its addresses; injectable so tests can play DNS. */
  resolve?: (host: string) => Promise<{ address: string; family: number }[]>;
}

const FIELD = 'input_reference';

/** A refused URL: its rule and facts, from which the MCP layer writes the sentence and the advice. */
function refused(
  url: string,
  why: UrlRefusal extends infer Each ? (Each extends unknown ? Omit<Each, 'url'> : never) : never,
): DomainError {
  return urlRefused(FIELD, { ...why, url });
}

/**
 * The one fetcher for every remote URL. Each hop (the first request and every redirect) is checked:
 * scheme, credentials, allowlist on the parsed URL, and the resolved address must be public unless
 * the host is named exactly in the allowlist. The connection is pinned to the address that was
 * checked, so a second DNS answer cannot swap it. Size and time are capped; no credentials are sent.
 */
export class GuardedImageFetcher implements ImageFetcher {
  private readonly timeoutMs: number;
  private readonly maxRedirects: number;
  private readonly resolve: (host: string) => Promise<{ address: string; family: number }[]>;

  constructor(private readonly options: GuardedImageFetcherOptions) {
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.maxRedirects = options.maxRedirects ?? 5;
    // The resolver is loaded on the first lookup, not at start-up.
    this.resolve =
      options.resolve ??
      ((host) => (require('node:dns/promises') as typeof import('node:dns/promises')).lookup(host, { all: true, verbatim: true }));
  }

  async fetch(url: string, options: { signal?: AbortSignal; maxBytes: number }): Promise<Uint8Array> {
    const deadline = AbortSignal.timeout(this.timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
    let current = url;
    for (let hop = 0; ; hop += 1) {
      const target = await this.check(current);
      const response = await this.request(target, signal, options.maxBytes, url, options.signal);
      if (response.kind === 'body') return response.bytes;
      if (hop >= this.maxRedirects) throw refused(url, { rule: 'too_many_redirects', most: this.maxRedirects });
      current = new URL(response.location, target.url).href;
    }
  }

  private async check(text: string): Promise<{ url: URL; address: string; family: number }> {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      throw refused(text, { rule: 'not_a_url' });
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw refused(text, { rule: 'scheme', scheme: url.protocol });
    if (url.username || url.password) throw refused(text, { rule: 'credentials' });
    const rules = this.options.allowlist;
    const matched = rules?.find((rule) => ruleMatches(rule, url));
    if (rules && !matched) throw refused(text, { rule: 'not_allowlisted' });
    if (matched && matched.pathPrefix !== '/' && hasEncodedSeparator(url.pathname)) {
      throw refused(text, { rule: 'encoded_separator' });
    }
    // A host named exactly (not by wildcard) in the allowlist may be private: the operator chose it.
    const trusted = matched !== undefined && !matched.wildcard;
    const host = bareHost(url);
    const addresses = isIP(host) ? [{ address: host, family: isIP(host) }] : await this.lookup(text, host);
    if (!trusted) {
      const blocked = addresses.find((entry) => !isPublicAddress(entry.address));
      if (blocked) {
        throw refused(text, { rule: 'private_address', address: blocked.address });
      }
    }
    return { url, address: addresses[0]!.address, family: addresses[0]!.family };
  }

  private async lookup(text: string, host: string): Promise<{ address: string; family: number }[]> {
    const found = await this.resolve(host).catch(() => []);
    if (found.length === 0) throw refused(text, { rule: 'unresolved', host });
    return found;
  }

  private async request(
    target: { url: URL; address: string; family: number },
    signal: AbortSignal,
    maxBytes: number,
    original: string,
    callerSignal: AbortSignal | undefined,
  ): Promise<{ kind: 'body'; bytes: Uint8Array } | { kind: 'redirect'; location: string }> {
    const pinned: LookupFunction = (_hostname, options, callback) => {
      if ((options as { all?: boolean }).all) callback(null, [{ address: target.address, family: target.family }]);
      else callback(null, target.address, target.family);
    };
    // Loaded on the first fetch, not at start-up (https brings TLS with it).
    const client =
      target.url.protocol === 'https:'
        ? (require('node:https') as typeof import('node:https'))
        : (require('node:http') as typeof import('node:http'));
    return new Promise((resolve, reject) => {
      const fail = (error: DomainError): void => {
        request.destroy();
        reject(error);
      };
      const request = client.get(
        target.url,
        { lookup: pinned, agent: false, signal, headers: { accept: 'image/jpeg, image/png, image/webp', 'user-agent': 'sora2-mcp' } },
        (response) => {
          const status = response.statusCode ?? 0;
          if (status >= 300 && status < 400 && response.headers.location) {
            response.resume();
            resolve({ kind: 'redirect', location: response.headers.location });
            return;
          }
          if (status < 200 || status >= 300) {
            response.resume();
            fail(imageRefused(FIELD, { problem: 'http_status', status }));
            return;
          }
          const declared = Number(response.headers['content-length']);
          if (Number.isFinite(declared) && declared > maxBytes) {
            fail(tooLarge(maxBytes));
            return;
          }
          const chunks: Buffer[] = [];
          let size = 0;
          response.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > maxBytes) fail(tooLarge(maxBytes));
            else chunks.push(chunk);
          });
          response.on('end', () => {
            if (response.complete) resolve({ kind: 'body', bytes: new Uint8Array(Buffer.concat(chunks)) });
          });
          // A connection cut mid-body emits close (and maybe error) but never a complete end.
          response.on('close', () => {
            if (!response.complete) {
              fail(imageRefused(FIELD, { problem: 'cut_off' }));
            }
          });
          response.on('error', () => undefined);
        },
      );
      request.on('error', (error) => {
        if (callerSignal?.aborted) reject(new CancelledError());
        else if (signal.aborted) reject(refused(original, { rule: 'too_slow', timeout_ms: this.timeoutMs }));
        else reject(imageRefused(FIELD, { problem: 'fetch_failed', errno: (error as NodeJS.ErrnoException).code ?? 'error' }));
      });
    });
  }
}

function tooLarge(maxBytes: number): DomainError {
  return imageRefused(FIELD, { problem: 'too_large', most_bytes: maxBytes, from_url: true });
}
