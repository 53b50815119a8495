import { refusalOf, saidBy, saying } from '../support/refusals';
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

  it('decodes every length of base64 to the exact bytes, padded or not, in either alphabet', () => {
    const bytes = (text: string) => [...(decodeBase64(text) ?? [])];
    expect(bytes('QQ==')).toEqual([0x41]);
    expect(bytes('QQ')).toEqual([0x41]);
    expect(bytes('QUI=')).toEqual([0x41, 0x42]);
    expect(bytes('QUJD')).toEqual([0x41, 0x42, 0x43]);
    expect(bytes('+/+/AQ==')).toEqual([0xfb, 0xff, 0xbf, 0x01]);
    expect(bytes('-_-_AQ')).toEqual([0xfb, 0xff, 0xbf, 0x01]);
    expect(bytes(' QU\nJD ')).toEqual([0x41, 0x42, 0x43]);
  });

  it.each(['', '  \n ', 'QUJDR', '!QUJD', 'QUJD!', 'QU=D', 'QUJD===', '+/-_'])('refuses %j as base64', (text) => {
    expect(decodeBase64(text)).toBeUndefined();
  });

  it('decodes a percent-encoded data URL, and refuses one whose encoding or base64 is broken', async () => {
    const encoded = PNG_SIGNATURE.toString('base64').replace(/=/g, '%3D');
    expect(Buffer.from(parseDataUrl(`data:image/png;base64,${encoded}`)).equals(PNG_SIGNATURE)).toBe(true);
    // A data URL that names no media type is taken as the image its bytes are.
    expect(Buffer.from(parseDataUrl(`data:;base64,${PNG_SIGNATURE.toString('base64')}`)).equals(PNG_SIGNATURE)).toBe(true);
    const rule = (text: string) => refusalOf((async () => parseDataUrl(text, 'last_frame'))());
    await expect(rule('data:image/png;base64,%E0%A4%A')).resolves.toMatchObject({
      field: 'last_frame',
      details: { rule: 'data_url_bad_base64' },
    });
    await expect(rule('data:image/png;base64,')).resolves.toMatchObject({ field: 'last_frame', details: { rule: 'data_url_bad_base64' } });
    await expect(rule('data:image/png;base64')).resolves.toMatchObject({ field: 'last_frame', details: { rule: 'data_url_no_comma' } });
    await expect(rule('data:Text/HTML;base64,PGh0bWw+')).resolves.toMatchObject({
      field: 'last_frame',
      details: { rule: 'data_url_not_image', media_type: 'text/html' },
    });
    await expect(rule('data:image/png,iVBORw0KGgo=')).resolves.toMatchObject({
      field: 'last_frame',
      details: { rule: 'data_url_not_base64' },
    });
  });

  it('takes base64 as an image only from 16 characters on: shorter is a name', () => {
    // The same JPEG start, in 12 and in 16 characters.
    expect(classifyReference('/9j/4AAQSkZJ')).toEqual({ kind: 'path', path: '/9j/4AAQSkZJ' });
    expect(classifyReference(' /9j/4AAQSkZJRgAB ')).toEqual({
      kind: 'inline',
      bytes: Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1]),
      origin: 'base64',
    });
    // Base64 of text is no image: it stays a name.
    expect(classifyReference('aGVsbG8gd29ybGQgaGVsbG8=')).toMatchObject({ kind: 'path' });
  });

  it('says which field was refused, and which scheme, in lower case', async () => {
    const refusal = (input: string, field?: string) => refusalOf((async () => classifyReference(input, field))());
    await expect(refusal('   ', 'reference_images[1]')).resolves.toMatchObject({
      code: 'invalid_input',
      field: 'reference_images[1]',
      details: { rule: 'source_empty' },
    });
    await expect(refusal('FTP://example.com/a.png')).resolves.toMatchObject({
      code: 'invalid_input',
      field: 'input_reference',
      details: { rule: 'scheme_refused', scheme: 'ftp' },
    });
    await expect(refusal('data:text/plain;base64,aGk=', 'last_frame')).resolves.toMatchObject({ field: 'last_frame' });
    await expect(refusalOf((async () => parseDataUrl('data:image/png;base64'))())).resolves.toMatchObject({ field: 'input_reference' });
    expect(classifyReference(` data:image/png;base64,${PNG_SIGNATURE.toString('base64')}`)).toMatchObject({
      kind: 'inline',
      origin: 'data URL',
    });
  });

  it('takes a name with "data:" inside it for a path', () => {
    expect(classifyReference('shots/data:take.png')).toEqual({ kind: 'path', path: 'shots/data:take.png' });
  });

  it('takes a Windows drive for a path, not a one-letter scheme', () => {
    expect(classifyReference('C:\\images\\a.png')).toEqual({ kind: 'path', path: 'C:\\images\\a.png' });
    expect(classifyReference('http://example.com/a.png')).toEqual({ kind: 'url', url: 'http://example.com/a.png' });
  });
});
