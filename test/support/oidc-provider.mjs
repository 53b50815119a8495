// A real OpenID provider (oidc-provider, OpenID Certified) on loopback, for the team tests: the client_credentials
// grant with resource indicators (RFC 8707), issuing JWT access tokens whose `aud` is the resource asked for and
// whose `sub` is the user a test names (the client id `alice` or `bob`). Started as its own process (it is ECMAScript
// modules, which jest's sandbox cannot load). It prints one JSON line: its issuer, and for the audience given as the
// first argument two tokens a real provider never issues: one signed with its own key but expired, and one signed
// with a foreign key under its key id.
import { createServer } from 'node:http';
import Provider from 'oidc-provider';
import * as jose from 'jose';

const audience = process.argv[2];
const kid = 'sora2-test-key';
const { privateKey } = await jose.generateKeyPair('RS256', { extractable: true });
const privateJwk = { ...(await jose.exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' };

let handler = (_req, res) => res.writeHead(503).end();
const server = createServer((req, res) => handler(req, res));
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const client = (id) => ({
  client_id: id,
  client_secret: `${id}-secret-long-enough-for-tests`,
  grant_types: ['client_credentials'],
  response_types: [],
  redirect_uris: [],
});
const provider = new Provider(issuer, {
  jwks: { keys: [privateJwk] },
  clients: [client('alice'), client('bob')],
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    resourceIndicators: {
      enabled: true,
      getResourceServerInfo: async (_ctx, resource) => ({
        audience: resource,
        scope: 'mcp',
        accessTokenTTL: 300,
        accessTokenFormat: 'jwt',
        jwt: { sign: { alg: 'RS256' } },
      }),
    },
  },
  scopes: ['mcp'],
  ttl: { ClientCredentials: 300 },
});
handler = provider.callback();

const now = Math.floor(Date.now() / 1000);
const claims = () =>
  new jose.SignJWT({ client_id: 'alice' })
    .setProtectedHeader({ alg: 'RS256', kid, typ: 'at+jwt' })
    .setIssuer(issuer)
    .setAudience(audience)
    .setSubject('alice');
const expired = await claims()
  .setIssuedAt(now - 3600)
  .setExpirationTime(now - 1800)
  .sign(privateKey);
const foreign = await claims()
  .setIssuedAt(now)
  .setExpirationTime(now + 300)
  .sign((await jose.generateKeyPair('RS256')).privateKey);
process.stdout.write(`${JSON.stringify({ issuer, expired, foreign })}\n`);
process.on('SIGTERM', () => server.close(() => process.exit(0)));
