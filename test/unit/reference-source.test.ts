import { saidBy, saying } from '../support/refusals';
import { classifyReference, decodeBase64, parseDataUrl } from '../../src/application/reference-source';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 73, 72, 68, 82]);

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
    expect(saidBy(() => parseDataUrl('data:text/html;base64,PGh0bWw+'))).toMatch(saying('invalid_input', 'not an image'));
    expect(saidBy(() => parseDataUrl('data:image/png,rawbytes'))).toMatch(saying('invalid_input', 'not base64'));
  });

  it('takes raw base64 only when the bytes carry an image signature', async () => {
    const source = classifyReference(PNG_SIGNATURE.toString('base64'));
    expect(source.kind).toBe('inline');
  });

  it('treats an absolute path made only of base64 characters as a path', async () => {
    expect(classifyReference('/tmp/abcdefghijklmnop/ABCD')).toEqual({ kind: 'path', path: '/tmp/abcdefghijklmnop/ABCD' });
    expect(classifyReference('/etc/passwd')).toEqual({ kind: 'path', path: '/etc/passwd' });
  });

  it('treats "hello" as a path (which then must exist under the roots), never as base64', async () => {
    expect(classifyReference('hello')).toEqual({ kind: 'path', path: 'hello' });
  });

  it.each(['file:///etc/passwd', 'ftp://example.com/a.png', 'javascript:alert(1)'])('refuses the scheme of %s', async (input) => {
    expect(() => classifyReference(input)).toThrow(expect.objectContaining({ code: 'invalid_input', field: 'input_reference' }));
  });

  it('recognises http(s) URLs by their scheme', async () => {
    expect(classifyReference('HTTPS://example.com/a.png')).toMatchObject({ kind: 'url' });
  });

  it('decodes URL-safe base64 and refuses text that is not base64', () => {
    expect(decodeBase64('-_-_')).toBeDefined();
    expect(decodeBase64('not base64!')).toBeUndefined();
    expect(decodeBase64('abcde')).toBeUndefined();
  });
});
