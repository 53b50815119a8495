import { randomBytes } from 'node:crypto';
import { parseConfigOrReport, type Environment } from '../../composition/config';
import { createSora2Server, type Sora2Server } from '../../composition/create-server';
import { oauthAuthenticator, sharedTokenAuthenticator, usersFileAuthenticator, UsersFileError, type Authenticator } from './authentication';
import { FlagError, HTTP_FLAGS, parseFlags } from '../../config/flags';
import { ENV, rawValue } from '../../config/variables';
import { usage } from '../help';
import { isLoopbackHost } from '../host-guard';
import { MAX_BODY_BYTES, startHttpServer } from './streamable-http-server';

/** `sora2-mcp http`: one MCP server for a team, over Streamable HTTP, until interrupted. */
export async function httpCommand(args: string[], env: Environment, out: (line: string) => void): Promise<number> {
  const fail = (message: string): number => {
    process.stderr.write(`sora2-mcp http: ${message}\n${usage('http', HTTP_FLAGS)}\n`);
    return 2;
  };
  let flags;
  try {
    flags = parseFlags(HTTP_FLAGS, args);
  } catch (error) {
    if (!(error instanceof FlagError)) throw error;
    return fail(error.message);
  }
  const port = flags.port;
  if (port === undefined) return fail(`${HTTP_FLAGS.port.name} is required.`);
  const host = flags.host;
  const noAuth = flags.noAuth ?? false;
  const loopback = isLoopbackHost(host);
  const config = parseConfigOrReport(env, true);
  if (!config) return 2;
  const allowedHosts = flags.allowedHost ?? [];
  const serve = (authenticator: Authenticator, secrets: string[]) =>
    serveUntilStopped(createSora2Server({ env, config, secrets }), authenticator, { host, port, allowedHosts, out, flags });
  // Users told apart: by OAuth access tokens, or by a file of users and their tokens' hashes.
  if (config.identity.oauth || config.identity.usersFile) {
    if (noAuth) return fail(`--no-auth cannot be used with ${config.identity.oauth ? ENV.oauthIssuer.name : ENV.httpUsers.name}.`);
    if (config.identity.oauth) return serve(oauthAuthenticator(config.identity.oauth), []);
    try {
      return serve(usersFileAuthenticator(config.identity.usersFile!), []);
    } catch (error) {
      if (error instanceof UsersFileError) return fail(`${ENV.httpUsers.name}: ${error.message}.`);
      throw error;
    }
  }
  let token = rawValue(env, ENV.httpToken);
  // A short token is guessable, and as a redacted secret it would also blank that text wherever it appears.
  if (token !== undefined && token.length < 16)
    return fail(`${ENV.httpToken.name} must be at least 16 characters (openssl rand -base64 32 makes one).`);
  if (noAuth) {
    if (!loopback) return fail(`--no-auth is accepted only on a loopback --host (127.0.0.1, ::1, localhost), not ${host}.`);
    token = undefined;
    process.stderr.write(
      'sora2-mcp http: WARNING: --no-auth: any program on this machine can use this server and spend your provider credit.\n',
    );
  } else if (!token) {
    if (!loopback) {
      return fail(`refusing to listen on ${host} without ${ENV.httpToken.name}: anyone who can reach it could spend your provider credit.`);
    }
    token = randomBytes(32).toString('base64url');
    process.stderr.write(
      `sora2-mcp http: no ${ENV.httpToken.name} set; this run's token (shown once): ${token}\n` +
        `Clients send it as "Authorization: Bearer <token>". Set ${ENV.httpToken.name} to keep one across restarts.\n`,
    );
  }
  // The token is a secret like the provider key: redacted from every message and log.
  return serve(sharedTokenAuthenticator(token), token ? [token] : []);
}

async function serveUntilStopped(
  sora2: Sora2Server,
  authenticator: Authenticator,
  options: { host: string; port: number; allowedHosts: string[]; out: (line: string) => void; flags: { maxRequestBodies: number } },
): Promise<number> {
  const server = await startHttpServer(sora2, {
    host: options.host,
    port: options.port,
    authenticator,
    allowedHosts: options.allowedHosts,
    maxBodyBytes: MAX_BODY_BYTES,
    maxRequestBodies: options.flags.maxRequestBodies,
  });
  options.out(`sora2-mcp http listening on ${server.url}`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await server.close();
  await sora2.close();
  return 0;
}
