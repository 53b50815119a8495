import { randomBytes } from 'node:crypto';
import { parseConfigOrReport, type Environment } from '../../composition/config';
import { sora2ServerFactory } from '../../composition/create-server';
import { HTTP_DEFAULTS, startHttpServer } from './streamable-http-server';
import { isLoopbackHost } from '../host-guard';

const USAGE =
  'Use: sora2-mcp http --port N [--host H] [--allowed-host NAME[:PORT]]... [--max-sessions N] [--idle-timeout SECONDS] [--max-request-bodies N] [--no-auth]';

/** `sora2-mcp http`: one MCP server for a team, over Streamable HTTP, until interrupted. */
export async function httpCommand(args: string[], env: Environment, out: (line: string) => void): Promise<number> {
  const fail = (message: string): number => {
    process.stderr.write(`sora2-mcp http: ${message}\n${USAGE}\n`);
    return 2;
  };
  let port: number | undefined;
  let host = '127.0.0.1';
  let noAuth = false;
  const allowedHosts: string[] = [];
  let maxSessions: number = HTTP_DEFAULTS.maxSessions;
  let idleMs: number = HTTP_DEFAULTS.idleMs;
  let maxRequestBodies: number = HTTP_DEFAULTS.maxRequestBodies;
  for (let i = 0; i < args.length; i += 1) {
    const value = args[i + 1];
    switch (args[i]) {
      case '--port':
        if (value === undefined || !/^\d+$/.test(value) || Number(value) > 65535) {
          return fail(
            `--port ${JSON.stringify(value ?? '')} is not a port number: use a whole number from 0 to 65535 (0 picks a free one).`,
          );
        }
        port = Number(value);
        i += 1;
        break;
      case '--host':
        if (!value) return fail('--host needs an address, such as 127.0.0.1 or 0.0.0.0.');
        host = value;
        i += 1;
        break;
      case '--allowed-host':
        if (!value || /[\s/]/.test(value)) return fail('--allowed-host needs a host name, such as mcp.example.com.');
        allowedHosts.push(value);
        i += 1;
        break;
      case '--max-sessions':
        if (value === undefined || !/^[1-9]\d{0,5}$/.test(value)) return fail('--max-sessions needs a whole number from 1.');
        maxSessions = Number(value);
        i += 1;
        break;
      case '--idle-timeout':
        if (value === undefined || !/^[1-9]\d{0,6}$/.test(value)) return fail('--idle-timeout needs a whole number of seconds from 1.');
        idleMs = Number(value) * 1000;
        i += 1;
        break;
      case '--max-request-bodies':
        if (value === undefined || !/^[1-9]\d{0,3}$/.test(value)) return fail('--max-request-bodies needs a whole number from 1.');
        maxRequestBodies = Number(value);
        i += 1;
        break;
      case '--no-auth':
        noAuth = true;
        break;
      default:
        return fail(`unexpected argument "${args[i]}".`);
    }
  }
  if (port === undefined) return fail('--port is required.');
  const loopback = isLoopbackHost(host);
  let token = env.SORA2_MCP_HTTP_TOKEN?.trim() || undefined;
  // A short token is guessable, and as a redacted secret it would also blank that text wherever it appears.
  if (token !== undefined && token.length < 16)
    return fail('SORA2_MCP_HTTP_TOKEN must be at least 16 characters (openssl rand -base64 32 makes one).');
  if (noAuth) {
    if (!loopback) return fail(`--no-auth is accepted only on a loopback --host (127.0.0.1, ::1, localhost), not ${host}.`);
    token = undefined;
    process.stderr.write(
      'sora2-mcp http: WARNING: --no-auth: any program on this machine can use this server and spend your provider credit.\n',
    );
  } else if (!token) {
    if (!loopback) {
      return fail(`refusing to listen on ${host} without SORA2_MCP_HTTP_TOKEN: anyone who can reach it could spend your provider credit.`);
    }
    token = randomBytes(32).toString('base64url');
    process.stderr.write(
      `sora2-mcp http: no SORA2_MCP_HTTP_TOKEN set; this run's token (shown once): ${token}\n` +
        'Clients send it as "Authorization: Bearer <token>". Set SORA2_MCP_HTTP_TOKEN to keep one across restarts.\n',
    );
  }
  // The token is a secret like the provider key: redacted from every message and log.
  const serverEnv = token ? { ...env, SORA2_MCP_HTTP_TOKEN: token } : env;
  const config = parseConfigOrReport(serverEnv, true);
  if (!config) return 2;
  const server = await startHttpServer(sora2ServerFactory({ env: serverEnv, config }), {
    host,
    port,
    token,
    allowedHosts,
    maxSessions,
    idleMs,
    maxBodyBytes: HTTP_DEFAULTS.maxBodyBytes,
    maxRequestBodies,
  });
  out(`sora2-mcp http listening on ${server.url}`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await server.close();
  return 0;
}
