import { isIP } from 'node:net';
import type { PinnedAddress, TargetVerdict } from '../../domain/ports';
import { bareHost, isPublicAddress } from './url-allowlist';

type Resolve = (host: string) => Promise<{ address: string; family: number }[]>;

/**
 * Where a provider may send the server, with a redirect (say, from `/content` to a CDN) or an asset URL
 * in its answer (OpenRouter's signed storage URL): anywhere on its own origin; elsewhere only over https, and never to a non-public address that the provider itself is
 * not on (a gateway on a private network may redirect within it; a public one may not reach into
 * ours). Judged by the one address classifier.
 */
export function providerRedirectPolicy(
  baseURL: string | undefined,
  // The resolver is loaded on the first redirect checked, not at start-up.
  resolve: Resolve = (host) =>
    (require('node:dns/promises') as typeof import('node:dns/promises')).lookup(host, { all: true, verbatim: true }),
) {
  const origin = baseURL ? new URL(baseURL).origin : 'https://api.openai.com';
  let own: Promise<Set<string>> | undefined;
  const addressesOf = async (url: URL): Promise<PinnedAddress[]> => {
    const host = bareHost(url);
    if (isIP(host)) return [{ address: host, family: isIP(host) }];
    return resolve(host).catch(() => []);
  };
  return async (_from: URL, to: URL): Promise<TargetVerdict> => {
    if (to.origin === origin) return {};
    if (to.protocol !== 'https:') return { refused: { rule: 'not_https', origin } };
    if (to.username || to.password) return { refused: { rule: 'credentials' } };
    const targets = await addressesOf(to);
    if (targets.length === 0) return { refused: { rule: 'unresolved', host: to.hostname } };
    own ??= addressesOf(new URL(origin)).then((list) => new Set(list.map((entry) => entry.address)));
    const providers = await own;
    const inner = targets.find((entry) => !isPublicAddress(entry.address) && !providers.has(entry.address));
    if (inner) return { refused: { rule: 'private_address', address: inner.address } };
    // Every address the name gave was checked; the connection goes to the first of them, whatever a second lookup says.
    return { pin: targets[0]! };
  };
}
