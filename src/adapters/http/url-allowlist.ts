import type ipaddr from 'ipaddr.js';

/** One MEDIA_GEN_URLS entry, parsed: matched against parsed URLs, never raw strings. */
export interface UrlRule {
  /** `http:` or `https:`; undefined when the entry named no scheme (both allowed). */
  protocol: string | undefined;
  /** Lower-case ASCII (punycode) host; for a wildcard, the suffix after `*.`. */
  host: string;
  wildcard: boolean;
  /** Explicit port, or undefined for the scheme's default. */
  port: string | undefined;
  /** Path prefix, matched on segment boundaries. */
  pathPrefix: string;
}

export class AllowlistEntryError extends Error {}

/** Parses entries such as `https://images.example`, `*.cdn.example/pics/`, `http://127.0.0.1:8080`. */
export function parseAllowlistEntry(entry: string): UrlRule {
  const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(entry);
  const wildcard = /^([a-z]+:\/\/)?\*\./i.test(entry);
  const text = (hasScheme ? entry : `https://${entry}`).replace('://*.', '://');
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new AllowlistEntryError(`"${entry}" is not a URL or host name`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new AllowlistEntryError(`"${entry}" must be http or https`);
  if (url.username || url.password) throw new AllowlistEntryError(`"${entry}" must not contain credentials`);
  if (url.search || url.hash) throw new AllowlistEntryError(`"${entry}" must not contain a query or fragment`);
  return {
    protocol: hasScheme ? url.protocol : undefined,
    host: url.hostname,
    wildcard,
    port: url.port || undefined,
    pathPrefix: url.pathname,
  };
}

function effectivePort(url: URL): string {
  return url.port || (url.protocol === 'https:' ? '443' : '80');
}

function pathMatches(prefix: string, pathname: string): boolean {
  if (prefix === '/' || prefix === '') return true;
  if (prefix.endsWith('/')) return pathname.startsWith(prefix);
  return pathname === prefix || pathname.startsWith(`${prefix}/`);
}

export function ruleMatches(rule: UrlRule, url: URL): boolean {
  if (rule.protocol !== undefined && rule.protocol !== url.protocol) return false;
  const host = url.hostname.toLowerCase();
  if (rule.wildcard ? !host.endsWith(`.${rule.host}`) : host !== rule.host) return false;
  if (rule.port !== undefined ? rule.port !== effectivePort(url) : url.port !== '') return false;
  return pathMatches(rule.pathPrefix, url.pathname);
}

/** Host without IPv6 brackets, as DNS and IP parsers want it. */
export function bareHost(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

/**
 * The one address classifier. Public means IPv4 `unicast` or IPv6 global unicast (2000::/3, and
 * `unicast` by ipaddr.js's ranges) and nothing else: loopback, private (RFC 1918), CGNAT, link-local
 * (cloud metadata), unique-local, multicast, reserved and documentation ranges are not. IPv4-mapped
 * addresses are judged as the IPv4 address they carry; the other forms that carry an IPv4 address
 * (IPv4-compatible ::/96, NAT64 64:ff9b::/96, 6to4 2002::/16, Teredo 2001::/32, SIIT) are refused,
 * since what they reach depends on a translator.
 */
export function isPublicAddress(address: string): boolean {
  // Loaded on first use: only URL reference images and redirects need it, never start-up.
  const ip = require('ipaddr.js') as typeof ipaddr;
  if (!ip.isValid(address)) return false;
  const parsed = ip.parse(address);
  if (parsed.kind() === 'ipv4') return parsed.range() === 'unicast';
  const v6 = parsed as ipaddr.IPv6;
  if (v6.isIPv4MappedAddress()) return v6.toIPv4Address().range() === 'unicast';
  const globalUnicast = (v6.parts[0]! & 0xe000) === 0x2000;
  return globalUnicast && v6.range() === 'unicast';
}

/** Percent-encoded `/` or `\`: servers disagree on decoding them, so a path prefix cannot be trusted past one. */
export function hasEncodedSeparator(pathname: string): boolean {
  return /%2f|%5c/i.test(pathname);
}
