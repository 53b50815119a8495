import { said, saying } from '../support/refusals';
import { GuardedImageFetcher } from '../../src/adapters/http/guarded-image-fetcher';
import { parseAllowlistEntry } from '../../src/adapters/http/url-allowlist';
import { ImageHost } from '../support/image-host';
import { solid } from '../support/images';

describe('GuardedImageFetcher (SSRF guard) against loopback listeners', () => {
  let host: ImageHost;
  let png: Buffer;
  beforeAll(async () => {
    png = await solid(32, 32);
  });
  beforeEach(async () => {
    host = await ImageHost.start();
    host.serve('/a.png', png);
  });
  afterEach(async () => host.close());

  const allow = (...entries: string[]) => entries.map(parseAllowlistEntry);
  const fetchWith = (fetcher: GuardedImageFetcher, url: string, maxBytes = 1_000_000) => fetcher.fetch(url, { maxBytes });

  it('fetches from a host named exactly in the allowlist, even on loopback, sending no credentials', async () => {
    const fetcher = new GuardedImageFetcher({ allowlist: allow(host.origin) });
    const bytes = await fetchWith(fetcher, `${host.origin}/a.png`);
    expect(Buffer.from(bytes).equals(png)).toBe(true);
    expect(host.hits[0]!.headers.authorization).toBeUndefined();
    expect(host.hits[0]!.headers.cookie).toBeUndefined();
  });

  it.each([
    'http://127.0.0.1:PORT/a.png',
    'http://[::1]:PORT/a.png',
    'http://2130706433:PORT/a.png',
    'http://0x7f000001:PORT/a.png',
    'http://0177.0.0.1:PORT/a.png',
    'http://127.1:PORT/a.png',
    'http://[::ffff:127.0.0.1]:PORT/a.png',
    'http://169.254.169.254/latest/meta-data/',
    'http://10.0.0.1/a.png',
    'http://172.16.5.4/a.png',
    'http://192.168.1.1/a.png',
    'http://100.64.0.1/a.png',
    'http://0.0.0.0:PORT/a.png',
  ])('refuses %s with no allowlist, and the listener records no hit', async (template) => {
    const fetcher = new GuardedImageFetcher({ allowlist: undefined });
    await expect(fetchWith(fetcher, template.replace('PORT', String(host.port)))).rejects.toMatchObject({
      code: 'url_refused',
      field: 'input_reference',
    });
    expect(host.hits).toHaveLength(0);
  });

  it.each([
    ['::7f00:1', 'IPv4-compatible loopback'],
    ['::a00:1', 'IPv4-compatible private'],
    ['64:ff9b::7f00:1', 'NAT64 of loopback'],
    ['64:ff9b::a9fe:a9fe', 'NAT64 of the metadata address'],
    ['2002:7f00:1::1', '6to4 of loopback'],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'Teredo'],
    ['::ffff:0:7f00:1', 'SIIT-translated loopback'],
    ['::ffff:10.1.2.3', 'IPv4-mapped private'],
    ['fe80::1', 'link-local'],
    ['fd00::1', 'unique-local'],
    ['2001:db8::1', 'documentation'],
    ['100.64.0.1', 'carrier-grade NAT'],
  ])('classifies %s (%s) as non-public: a name resolving to it is refused, with no hit', async (address) => {
    const fetcher = new GuardedImageFetcher({
      allowlist: undefined,
      resolve: async () => [{ address, family: address.includes(':') ? 6 : 4 }],
    });
    await expect(said(fetchWith(fetcher, `http://tricky.example:${host.port}/a.png`))).resolves.toMatch(saying('url_refused', address));
    expect(host.hits).toHaveLength(0);
  });

  it('refuses encoded separators inside an allowlisted path prefix, which a server may decode out of it', async () => {
    const fetcher = new GuardedImageFetcher({ allowlist: allow(`http://127.0.0.1:${host.port}/pics/`) });
    for (const path of ['/pics/..%2Fsecret.png', '/pics/..%2fsecret.png', '/pics/..%5Csecret.png']) {
      await expect(said(fetchWith(fetcher, `http://127.0.0.1:${host.port}${path}`))).resolves.toMatch(saying('url_refused', 'encoded'));
    }
    expect(host.hits).toHaveLength(0);
  });

  it('refuses a public-looking name that resolves to a private address', async () => {
    const fetcher = new GuardedImageFetcher({ allowlist: undefined, resolve: async () => [{ address: '127.0.0.1', family: 4 }] });
    await expect(said(fetchWith(fetcher, `http://rebind.example:${host.port}/a.png`))).resolves.toMatch(saying('url_refused', '127.0.0.1'));
    expect(host.hits).toHaveLength(0);
  });

  it('connects to the address it checked (pinned), not to a second DNS answer', async () => {
    let lookups = 0;
    const fetcher = new GuardedImageFetcher({
      allowlist: allow(`http://pinned.example:${host.port}`),
      resolve: async () => {
        lookups += 1;
        return [{ address: '127.0.0.1', family: 4 }];
      },
    });
    expect(Buffer.from(await fetchWith(fetcher, `http://pinned.example:${host.port}/a.png`)).equals(png)).toBe(true);
    expect(lookups).toBe(1);
    expect(host.hits[0]!.headers.host).toBe(`pinned.example:${host.port}`);
  });

  it.each([
    'https://allowed.example@evil.example/x.png',
    'https://allowed.example.evil.example/x.png',
    'http://allowed.example/x.png',
    'https://allowed.example:8443/x.png',
  ])('judges %s by its parsed form and refuses it with allowlist https://allowed.example', async (url) => {
    let lookups = 0;
    const fetcher = new GuardedImageFetcher({
      allowlist: allow('https://allowed.example'),
      resolve: async () => {
        lookups += 1;
        return [{ address: '127.0.0.1', family: 4 }];
      },
    });
    await expect(fetchWith(fetcher, url)).rejects.toMatchObject({ code: 'url_refused' });
    expect(lookups).toBe(0);
  });

  it('lets only a host named exactly reach a private address, never one matched by a wildcard', async () => {
    const fetcher = new GuardedImageFetcher({
      allowlist: allow(`http://*.internal.test:${host.port}`),
      resolve: async () => [{ address: '127.0.0.1', family: 4 }],
    });
    await expect(said(fetchWith(fetcher, `http://img.internal.test:${host.port}/a.png`))).resolves.toMatch(
      saying('url_refused', '127.0.0.1'),
    );
    expect(host.hits).toHaveLength(0);
  });

  it('matches wildcard hosts and path prefixes on segment boundaries', async () => {
    const fetcher = new GuardedImageFetcher({ allowlist: allow('https://*.cdn.example/pics') });
    for (const url of ['https://cdn.example/pics/a.png', 'https://x.cdn.example/picsevil/a.png', 'https://x.cdn.example.evil/pics/a.png']) {
      await expect(fetchWith(fetcher, url)).rejects.toMatchObject({ code: 'url_refused' });
    }
  });

  it('refuses a redirect from an allowed host to a refused one; the target records no hit', async () => {
    const target = await ImageHost.start();
    target.serve('/secret.png', png);
    try {
      host.redirect('/r', `${target.origin}/secret.png`);
      const fetcher = new GuardedImageFetcher({ allowlist: allow(host.origin) });
      await expect(fetchWith(fetcher, `${host.origin}/r`)).rejects.toMatchObject({ code: 'url_refused' });
      expect(target.hits).toHaveLength(0);
      host.redirect('/meta', 'http://169.254.169.254/latest/meta-data/');
      await expect(fetchWith(new GuardedImageFetcher({ allowlist: allow(host.origin) }), `${host.origin}/meta`)).rejects.toMatchObject({
        code: 'url_refused',
      });
    } finally {
      await target.close();
    }
  });

  it('follows up to 5 redirects and refuses the sixth', async () => {
    for (let i = 0; i < 6; i += 1) host.redirect(`/hop${i}`, `/hop${i + 1}`);
    host.serve('/hop5', png);
    const fetcher = new GuardedImageFetcher({ allowlist: allow(host.origin) });
    expect(Buffer.from(await fetchWith(fetcher, `${host.origin}/hop0`)).equals(png)).toBe(true);
    host.redirect('/hop5', '/hop6');
    host.serve('/hop6', png);
    await expect(said(fetchWith(fetcher, `${host.origin}/hop0`))).resolves.toMatch(saying('url_refused', 'more than 5 redirects'));
  });

  it.each(['file:///etc/passwd', 'ftp://example.com/a.png', 'javascript:alert(1)'])('refuses the %s scheme', async (url) => {
    await expect(fetchWith(new GuardedImageFetcher({ allowlist: undefined }), url)).rejects.toMatchObject({ code: 'url_refused' });
  });

  it('aborts a body larger than the cap, declared or not', async () => {
    host.serve('/big.png', Buffer.alloc(5000));
    host.routes.set('/chunked.png', (_req, res) => {
      res.writeHead(200, { 'content-type': 'image/png' });
      for (let i = 0; i < 10; i += 1) res.write(Buffer.alloc(1000));
      res.end();
    });
    const fetcher = new GuardedImageFetcher({ allowlist: allow(host.origin) });
    expect(await said(fetchWith(fetcher, `${host.origin}/big.png`, 1000))).toContain('larger than 1000 bytes');
    expect(await said(fetchWith(fetcher, `${host.origin}/chunked.png`, 1000))).toContain('larger than 1000 bytes');
  });

  it.each([
    ['with content-length', { 'content-length': '1000' }],
    ['chunked', {}],
  ])('rejects a body cut off mid-way (%s) instead of hanging', async (_name, headers) => {
    host.routes.set('/cut.png', (_req, res) => {
      res.writeHead(200, { 'content-type': 'image/png', ...headers });
      res.write(Buffer.alloc(100), () => res.socket?.destroy());
    });
    const fetcher = new GuardedImageFetcher({ allowlist: allow(host.origin), timeoutMs: 10_000 });
    expect(await said(fetchWith(fetcher, `${host.origin}/cut.png`))).toContain('cut off');
  });

  it('aborts a body that never ends at the deadline', async () => {
    host.routes.set('/forever.png', (_req, res) => {
      res.writeHead(200, { 'content-type': 'image/png' });
      res.write(Buffer.alloc(10));
    });
    const fetcher = new GuardedImageFetcher({ allowlist: allow(host.origin), timeoutMs: 300 });
    await expect(said(fetchWith(fetcher, `${host.origin}/forever.png`))).resolves.toMatch(saying('url_refused', 'within 300 ms'));
  });
});
