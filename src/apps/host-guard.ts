import type { IncomingMessage } from 'node:http';

/** Addresses only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  return bare === 'localhost' || bare === '::1' || /^127(\.\d{1,3}){3}$/.test(bare);
}

/** The address as `listen` takes it: an IPv6 address without its brackets. */
export function listenAddress(host: string): string {
  return host.replace(/^\[(.*)\]$/, '$1');
}

const WILDCARDS = new Set(['0.0.0.0', '::', '[::]']);

interface HostName {
  name: string;
  port: string | undefined;
}

/** `name`, `name:port`, `[v6]` or `[v6]:port`, lower-cased; undefined when it is none of those. */
function parseHost(value: string): HostName | undefined {
  const match = /^(\[[0-9a-f:.]+\]|[^:[\]/\s@]+)(?::(\d{1,5}))?$/.exec(value.trim().toLowerCase());
  return match ? { name: match[1]!, port: match[2] } : undefined;
}

export interface Refusal {
  status: 400 | 403;
  message: string;
}

export interface HostGuardOptions {
  /** The address the server listens on: it is allowed on any port (a reverse proxy on it keeps its own port). */
  listenHost: string;
  /** More names, each on any port (`proxy.example`) or on one port only (`proxy.example:8443`). */
  allowed?: readonly string[];
  /** What to add the name with, for the refusal's advice (`--allowed-host`). */
  howToAllow?: string;
}

/**
 * The one DNS-rebinding check for every server this package runs: a page on an attacker's name that
 * resolves to this address still sends its own Host, and a browser sends its Origin; both must name a
 * host this server answers to. Loopback names are always allowed, on any port, since a loopback
 * reverse proxy forwards its own; a request with two Host headers is refused outright, since a proxy
 * and this server could each read a different one.
 */
export class HostGuard {
  private readonly anyPort = new Set<string>(['localhost', '127.0.0.1', '[::1]']);
  private readonly onePort = new Set<string>();

  constructor(private readonly options: HostGuardOptions) {
    const bound = listenAddress(options.listenHost).toLowerCase();
    if (!WILDCARDS.has(bound) && !WILDCARDS.has(options.listenHost)) this.anyPort.add(bound.includes(':') ? `[${bound}]` : bound);
    for (const entry of options.allowed ?? []) {
      const parsed = parseHost(entry);
      if (!parsed) continue;
      if (parsed.port === undefined) this.anyPort.add(parsed.name);
      else this.onePort.add(`${parsed.name}:${parsed.port}`);
    }
  }

  private allows(host: HostName): boolean {
    if (this.anyPort.has(host.name) || isLoopbackHost(host.name)) return true;
    // A Host without a port names the scheme's default one.
    const ports = host.port !== undefined ? [host.port] : ['80', '443'];
    return ports.some((port) => this.onePort.has(`${host.name}:${port}`));
  }

  refusal(req: IncomingMessage): Refusal | undefined {
    const hosts = hostHeaders(req);
    if (hosts.length > 1) return { status: 400, message: 'Bad request: more than one Host header.' };
    const given = hosts[0] ?? '';
    const host = parseHost(given);
    const advice = this.options.howToAllow ? ` (add it with ${this.options.howToAllow})` : '';
    if (!host) return { status: 400, message: `Bad request: the Host header "${given.slice(0, 100)}" is not a host name.` };
    if (!this.allows(host)) {
      return { status: 403, message: `Forbidden: Host "${given.slice(0, 100)}" is not one this server answers to${advice}.` };
    }
    const origin = single(req.headers.origin);
    if (origin !== undefined) {
      const originHost = originHostOf(origin);
      if (!originHost || !this.allows(originHost)) {
        return { status: 403, message: `Forbidden: Origin "${origin.slice(0, 100)}" is not allowed${advice}.` };
      }
    }
    if (single(req.headers['sec-fetch-site']) === 'cross-site') {
      return { status: 403, message: 'Forbidden: cross-site browser requests are refused.' };
    }
    return undefined;
  }
}

/** Every Host header the request carried (Node keeps only the first in `headers`). */
function hostHeaders(req: IncomingMessage): string[] {
  const found: string[] = [];
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    if (req.rawHeaders[i]!.toLowerCase() === 'host') found.push(req.rawHeaders[i + 1]!);
  }
  return found;
}

function originHostOf(origin: string): HostName | undefined {
  if (origin === 'null') return undefined;
  try {
    return parseHost(new URL(origin).host);
  } catch {
    return undefined;
  }
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
