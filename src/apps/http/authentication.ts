import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { DEFAULT_USER } from '../../application/job-ownership';
import { ConfigError, readConfigFile } from '../../composition/config';
import { ENV } from '../../config/variables';

/** Room for thousands of users; a users file is a list of ids and hashes. */
const USERS_FILE_MAX_BYTES = 4 * 1024 * 1024;

/** Who a request acts for, or why it is refused (401, with the `WWW-Authenticate` challenge to send). */
export type Verdict = { user: string } | { refused: string; challenge: string };

/**
 * How `sora2-mcp http` tells its callers apart: one shared token (one user, `default`), a file of users and the
 * sha256 of each one's token, or OAuth 2.1 access tokens from the team's authorization server (the MCP
 * authorization spec: this server is a resource server). Every way answers a bad or missing token the same: 401.
 */
export interface Authenticator {
  authenticate(req: IncomingMessage): Promise<Verdict>;
  /** RFC 9728 protected-resource metadata, by the paths it is served at (OAuth only). */
  readonly metadata?: { paths: readonly string[]; document: Record<string, unknown> };
}

function bearerOf(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(typeof header === 'string' ? header : '');
  return match?.[1];
}

const BASIC_CHALLENGE = 'Bearer realm="sora2-mcp"';

/** One token for everyone (`SORA2_MCP_HTTP_TOKEN`), or none at all (`--no-auth` on loopback): one user. */
export function sharedTokenAuthenticator(token: string | undefined): Authenticator {
  const expected = token === undefined ? undefined : Buffer.from(token);
  return {
    authenticate: async (req) => {
      if (expected === undefined) return { user: DEFAULT_USER };
      const given = Buffer.from(bearerOf(req) ?? '');
      if (given.length === expected.length && timingSafeEqual(given, expected)) return { user: DEFAULT_USER };
      return { refused: `send Authorization: Bearer <token> (${ENV.httpToken.name})`, challenge: BASIC_CHALLENGE };
    },
  };
}

export class UsersFileError extends Error {}

/**
 * `SORA2_MCP_HTTP_USERS`: `{"users":[{"id":"alice","token_sha256":"<64 hex>"}]}`. Only hashes are kept, so the file
 * gives no token away; a presented token's hash is compared with every user's in constant time.
 */
export function usersFileAuthenticator(file: string): Authenticator {
  let text: string;
  try {
    // A plain file of bounded size, opened without blocking, like every file the configuration names.
    text = readConfigFile(ENV.httpUsers.name, file, USERS_FILE_MAX_BYTES, { noun: 'a users file', wanted: 'a JSON file of users' });
  } catch (error) {
    throw new UsersFileError(error instanceof ConfigError ? error.message.replace(`${ENV.httpUsers.name}: `, '') : String(error));
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UsersFileError(`${file} cannot be read as JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const users = (parsed as { users?: unknown } | null)?.users;
  if (!Array.isArray(users) || users.length === 0)
    throw new UsersFileError(`${file} must hold {"users":[{"id":"alice","token_sha256":"<hex>"}]}`);
  const seen = new Set<string>();
  const entries = users.map((user: unknown, index) => {
    const { id, token_sha256: hash } = (user ?? {}) as { id?: unknown; token_sha256?: unknown };
    if (typeof id !== 'string' || !/^[\w.@+-]{1,128}$/.test(id)) {
      throw new UsersFileError(`users[${index}].id must be 1 to 128 letters, digits or . _ @ + -`);
    }
    if (seen.has(id)) throw new UsersFileError(`users[${index}].id "${id}" appears twice`);
    seen.add(id);
    if (typeof hash !== 'string' || !/^[0-9a-fA-F]{64}$/.test(hash)) {
      throw new UsersFileError(`users[${index}].token_sha256 must be the 64 hex digits of sha256(token) (printf %s "$TOKEN" | sha256sum)`);
    }
    return { id, hash: Buffer.from(hash.toLowerCase(), 'hex') };
  });
  return {
    authenticate: async (req) => {
      const given = bearerOf(req);
      const hash = createHash('sha256')
        .update(given ?? '')
        .digest();
      let user: string | undefined;
      // Every entry is compared, so the time taken says nothing about which (or whether one) matched.
      for (const entry of entries) if (timingSafeEqual(hash, entry.hash) && given !== undefined) user ??= entry.id;
      return user !== undefined
        ? { user }
        : { refused: `send Authorization: Bearer <your token> (${ENV.httpUsers.name})`, challenge: BASIC_CHALLENGE };
    },
  };
}

/**
 * OAuth 2.1 resource server (MCP authorization spec): JWT access tokens from `issuer`, checked with `jose` against the
 * issuer's JWKS (found through its discovery document) for signature, expiry, `iss`, and an `aud` naming this
 * server's public URL (RFC 8707); the user is `sub`. A refusal points the client at the RFC 9728 metadata.
 */
export function oauthAuthenticator(options: { issuer: string; publicUrl: string; fetch?: typeof fetch }): Authenticator {
  const resource = new URL(options.publicUrl);
  const metadataPath = `/.well-known/oauth-protected-resource${resource.pathname === '/' ? '' : resource.pathname}`;
  const metadataUrl = `${resource.origin}${metadataPath}`;
  const challenge = (error?: string) =>
    `Bearer resource_metadata="${metadataUrl}"${error ? `, error="${error}", error_description="the access token is not valid for this server"` : ''}`;
  let keys: Promise<Awaited<ReturnType<typeof discover>>> | undefined;
  const fetcher = options.fetch ?? fetch;
  async function discover() {
    // Loaded on first use: a server without OAuth never loads jose.
    const jose = await import('jose');
    const base = options.issuer.replace(/\/+$/, '');
    let jwksUri: string | undefined;
    for (const path of ['/.well-known/openid-configuration', '/.well-known/oauth-authorization-server']) {
      const answer = await fetcher(`${base}${path}`, { signal: AbortSignal.timeout(10_000) }).catch(() => undefined);
      if (!answer?.ok) continue;
      const document = (await answer.json().catch(() => undefined)) as { jwks_uri?: unknown; issuer?: unknown } | undefined;
      if (typeof document?.jwks_uri === 'string') {
        jwksUri = document.jwks_uri;
        break;
      }
    }
    if (!jwksUri) throw new Error(`the issuer ${options.issuer} publishes no discovery document with a jwks_uri`);
    return { jose, jwks: jose.createRemoteJWKSet(new URL(jwksUri)) };
  }
  return {
    metadata: {
      paths: [...new Set([metadataPath, '/.well-known/oauth-protected-resource'])],
      document: {
        resource: options.publicUrl,
        authorization_servers: [options.issuer],
        bearer_methods_supported: ['header'],
        resource_name: 'sora2-mcp',
      },
    },
    authenticate: async (req) => {
      const token = bearerOf(req);
      if (!token) return { refused: 'send Authorization: Bearer <access token> from the authorization server', challenge: challenge() };
      try {
        keys ??= discover().catch((error: unknown) => {
          keys = undefined;
          throw error;
        });
        const { jose, jwks } = await keys;
        const { payload } = await jose.jwtVerify(token, jwks, { issuer: options.issuer, audience: options.publicUrl });
        if (typeof payload.sub !== 'string' || payload.sub === '') {
          return { refused: 'the access token names no subject (sub)', challenge: challenge('invalid_token') };
        }
        return { user: payload.sub };
      } catch {
        return { refused: 'the access token is not valid for this server', challenge: challenge('invalid_token') };
      }
    },
  };
}
