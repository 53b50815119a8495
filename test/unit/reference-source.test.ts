import { classifyReference, decodeBase64, parseDataUrl } from '../../src/application/reference-source';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 73, 72, 68, 82]);
const sniffPng = async (bytes: Uint8Array) =>
  Buffer.from(bytes).subarray(0, 8).equals(PNG_SIGNATURE.subarray(0, 8)) ? 'image/png' : undefined;

describe('input_reference classification', () => {
  it.each([
    ['data:image/png;base64,', 'plain'],
    ['data:image/png;charset=utf-8;base64,', 'with a charset parameter'],
    ['DATA:image/PNG;BASE64,', 'upper case'],
    ['data:image/png; charset=utf-8 ; base64 ,', 'with spaces'],
  ])('decodes %s (%s) to the exact bytes', (prefix) => {
    const base64 = PNG_SIGNATURE.toString('base64');
    const spaced = `${base64.slice(0, 6)}\n ${base64.slice(6)}`;
    expect(Buffer.from(parseDataUrl(prefix + spaced)).equals(PNG_SIGNATURE)).toBe(true);
  });

  it('refuses a data URL that is not an image or not base64', () => {
    expect(() => parseDataUrl('data:text/html;base64,PGh0bWw+')).toThrow(/not an image/);
    expect(() => parseDataUrl('data:image/png,rawbytes')).toThrow(/not base64/);
  });

  it('takes raw base64 only when the bytes carry an image signature', async () => {
    const source = await classifyReference(PNG_SIGNATURE.toString('base64'), sniffPng);
    expect(source.kind).toBe('inline');
  });

  it('treats an absolute path made only of base64 characters as a path', async () => {
    expect(await classifyReference('/tmp/abcdefghijklmnop/ABCD', sniffPng)).toEqual({ kind: 'path', path: '/tmp/abcdefghijklmnop/ABCD' });
    expect(await classifyReference('/etc/passwd', sniffPng)).toEqual({ kind: 'path', path: '/etc/passwd' });
  });

  it('treats "hello" as a path (which then must exist under the roots), never as base64', async () => {
    expect(await classifyReference('hello', sniffPng)).toEqual({ kind: 'path', path: 'hello' });
  });

  it.each(['file:///etc/passwd', 'ftp://example.com/a.png', 'javascript:alert(1)'])('refuses the scheme of %s', async (input) => {
    await expect(classifyReference(input, sniffPng)).rejects.toMatchObject({ code: 'invalid_input', field: 'input_reference' });
  });

  it('recognises http(s) URLs by their scheme', async () => {
    expect(await classifyReference('HTTPS://example.com/a.png', sniffPng)).toMatchObject({ kind: 'url' });
  });

  it('decodes URL-safe base64 and refuses text that is not base64', () => {
    expect(decodeBase64('-_-_')).toBeDefined();
    expect(decodeBase64('not base64!')).toBeUndefined();
    expect(decodeBase64('abcde')).toBeUndefined();
  });
});
