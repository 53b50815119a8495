import { linkSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { FileSystemMediaStore } from '../../src/adapters/filesystem/file-system-media-store';
import { OutputNames } from '../../src/application/output-names';
import { GuardedImageFetcher } from '../../src/adapters/http/guarded-image-fetcher';
import { parseAllowlistEntry, ruleMatches } from '../../src/adapters/http/url-allowlist';
import { chunks, tempFolder } from '../support/temp';

/** Every file and folder under `folder` with its size and content, to prove nothing changed there. */
function snapshot(folder: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isSymbolicLink()) out[full] = 'link';
      else if (entry.isDirectory()) {
        out[full] = 'dir';
        walk(full);
      } else out[full] = `${statSync(full).size}:${readFileSync(full, 'utf8')}`;
    }
  };
  walk(folder);
  return out;
}

describe('property: no generated output path escapes the root', () => {
  const folder = tempFolder();
  const R = path.join(folder.path, 'out');
  const evil = `${R}_evil`;
  const O = path.join(folder.path, 'elsewhere');
  mkdirSync(path.join(R, 'sub'), { recursive: true });
  mkdirSync(evil);
  mkdirSync(O);
  writeFileSync(path.join(O, 'victim'), 'precious');
  writeFileSync(path.join(evil, 'victim'), 'precious');
  symlinkSync(O, path.join(R, 'link'));
  symlinkSync(path.join(R, 'sub'), path.join(R, 'inlink'));
  symlinkSync(path.join(O, 'victim'), path.join(R, 'victim.mp4'));
  symlinkSync(path.join(O, 'new.mp4'), path.join(R, 'dangling.mp4'));
  linkSync(path.join(O, 'victim'), path.join(R, 'hard.mp4'));
  const store = new FileSystemMediaStore({ roots: [R], urlPrefixes: [] });
  const names = new OutputNames(store, []);
  const outside = () => ({ ...snapshot(O), ...snapshot(evil) });
  const before = outside();
  afterAll(() => folder.remove());

  const segment = fc.constantFrom(
    '..',
    '.',
    'sub',
    'link',
    'inlink',
    'new',
    'victim',
    'victim.mp4',
    'dangling',
    'dangling.mp4',
    'hard',
    'hard.mp4',
    'out_evil',
    'elsewhere',
    'x.mp4',
    '',
  );
  const prefix = fc.constantFrom('', `${R}/`, `${evil}/`, `${O}/`, `${folder.path}/`, '/', `${R}/../`);
  const requested = fc.tuple(prefix, fc.array(segment, { minLength: 1, maxLength: 6 })).map(([start, parts]) => start + parts.join('/'));

  it('leaves everything outside the root untouched, whatever the path', async () => {
    await fc.assert(
      fc.asyncProperty(requested, async (file) => {
        try {
          // Through the naming policy, as every download goes: it checks the names, the store places the bytes.
          const plan = await names.plan({ file, stem: 'video_1', variants: ['video'], overwrite: false });
          const saved = await store.write(plan.namesFor('video', 'video/mp4'), {
            contentType: 'video/mp4',
            body: chunks(Buffer.from('new bytes')),
          });
          expect(saved.location.startsWith(`${R}${path.sep}`)).toBe(true);
        } catch (error) {
          expect(error).toMatchObject({ code: expect.stringMatching(/path_outside_roots|invalid_input|file_exists/) });
        }
        expect(outside()).toEqual(before);
        expect(readFileSync(path.join(O, 'victim'), 'utf8')).toBe('precious');
      }),
      { numRuns: 300 },
    );
  });

  it('accepts every plain relative path and writes it under the root', async () => {
    const name = fc.stringMatching(/^[a-z0-9_-]{1,10}$/);
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(name, { minLength: 1, maxLength: 4 }), async (parts) => {
        // A fresh folder per run: naming an existing folder saves inside it, by design.
        run += 1;
        const relative = [`run${run}`, ...parts];
        const plan = await names.plan({ file: relative.join('/'), stem: 'x', variants: ['video'], overwrite: false });
        const saved = await store.write(plan.namesFor('video', 'video/mp4'), { contentType: 'video/mp4', body: chunks(Buffer.from('ok')) });
        expect(saved.location).toBe(path.join(R, ...relative) + '.mp4');
      }),
      { numRuns: 100 },
    );
  });
});

describe('property: URLs are judged by their parsed form', () => {
  const scheme = fc.constantFrom('https', 'HTTPS', 'http', 'HtTpS');
  const userinfo = fc.constantFrom('', 'allowed.example@', 'user:pass@', 'allowed.example:443@', '%61llowed.example@');
  const host = fc.constantFrom(
    'allowed.example',
    'ALLOWED.EXAMPLE',
    'Allowed.Example',
    'allowed.example.evil.test',
    'evil.test',
    'allowed-example.test',
    'sub.allowed.example',
    'allowed.example.',
    'allowed%2eexample',
    'xn--allowed-example.test',
    '127.0.0.1',
  );
  const port = fc.constantFrom('', ':443', ':8443', ':80');
  const tail = fc.constantFrom('/', '/a.png', '/pics/a.png', '/../a.png', '?q=allowed.example', '#allowed.example', '/%2e%2e/a.png');
  const url = fc.tuple(scheme, userinfo, host, port, tail).map(([s, u, h, p, t]) => `${s}://${u}${h}${p}${t}`);

  it('reaches DNS only for https, no credentials, the exact host and port 443', async () => {
    await fc.assert(
      fc.asyncProperty(url, async (text) => {
        let lookups = 0;
        const fetcher = new GuardedImageFetcher({
          allowlist: [parseAllowlistEntry('https://allowed.example')],
          resolve: async () => {
            lookups += 1;
            return [];
          },
        });
        await expect(fetcher.fetch(text, { maxBytes: 1000 })).rejects.toMatchObject({ code: 'url_refused' });
        let parsed: URL | undefined;
        try {
          parsed = new URL(text);
        } catch {
          parsed = undefined;
        }
        const allowed =
          parsed !== undefined &&
          parsed.protocol === 'https:' &&
          !parsed.username &&
          !parsed.password &&
          parsed.hostname === 'allowed.example' &&
          parsed.port === '';
        expect(lookups).toBe(allowed ? 1 : 0);
      }),
      { numRuns: 400 },
    );
  });

  it('matches international hosts by their punycode form, in any case', () => {
    // (Not "straße": its upper case "STRASSE" is a different host name.)
    const label = fc.constantFrom('bücher', 'münchen', 'жжж', 'ñandú', '例え');
    fc.assert(
      fc.property(label, fc.boolean(), (name, upper) => {
        const rule = parseAllowlistEntry(`https://${name}.example/pics/`);
        const candidate = new URL(`https://${upper ? name.toUpperCase() : name}.example/pics/a.png`);
        expect(ruleMatches(rule, candidate)).toBe(true);
        expect(ruleMatches(rule, new URL(`https://${name}.example.evil.test/pics/a.png`))).toBe(false);
        expect(ruleMatches(rule, new URL(`https://${name}.example/picsevil/a.png`))).toBe(false);
      }),
    );
  });
});
