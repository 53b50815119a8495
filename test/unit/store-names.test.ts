import { checkPortableSegments, printableName, relativeKey, stripMediaExtension } from '../../src/domain/store-names';

/** The name rules every store shares, value by value: what each name becomes, and the rule and fact of each refusal. */
const refusal = (call: () => unknown): unknown => {
  try {
    call();
  } catch (error) {
    const { code, field, details } = error as { code: string; field: string; details: Record<string, unknown> };
    return { code, field, details };
  }
  return 'accepted';
};

describe('relativeKey', () => {
  it.each([
    ['clips/take1.mp4', 'clips/take1.mp4'],
    ['take1', 'take1'],
    ['clips/', 'clips/'],
    ['a/b/c/', 'a/b/c/'],
    ['with space/ümlaut.mp4', 'with space/ümlaut.mp4'],
  ])('keeps %s as %s', (file, key) => {
    expect(relativeKey(file)).toBe(key);
  });

  it.each([
    ['/etc/x', 'path_outside_roots', { problem: 'outside_store', path: '/etc/x' }],
    ['a/../../x', 'path_outside_roots', { problem: 'outside_store', path: 'a/../../x' }],
    ['..', 'path_outside_roots', { problem: 'outside_store', path: '..' }],
    ['a//b', 'invalid_input', { rule: 'name_unusable', problem: 'empty_folder_name', path: 'a//b' }],
    ['a/./b', 'invalid_input', { rule: 'name_unusable', problem: 'empty_folder_name', path: 'a/./b' }],
    ['.git/x', 'invalid_input', { rule: 'name_unusable', problem: 'hidden_folder', path: '.git/x' }],
    ['a/.cache/', 'invalid_input', { rule: 'name_unusable', problem: 'leading_dot', path: 'a/.cache/' }],
    ['a/.hidden', 'invalid_input', { rule: 'name_unusable', problem: 'leading_dot', path: 'a/.hidden' }],
    ['a:b', 'invalid_input', { rule: 'name_unusable', problem: 'reserved_character', character: '":"', path: 'a:b' }],
  ])('refuses %s', (file, code, details) => {
    expect(refusal(() => relativeKey(file))).toEqual({ code, field: 'file', details });
  });
});

describe('checkPortableSegments', () => {
  it.each([
    ['<', '"<"'],
    ['>', '">"'],
    ['"', '"""'],
    ['|', '"|"'],
    ['?', '"?"'],
    ['*', '"*"'],
    ['\\', '"\\"'],
    ['\u0000', 'control character U+0000'],
    ['\u001f', 'control character U+001F'],
    ['\u007f', 'control character U+007F'],
    ['\n', 'control character U+000A'],
  ])('refuses %j, shown as %s', (char, shown) => {
    expect(refusal(() => checkPortableSegments(`x${char}y`, [`x${char}y`]))).toMatchObject({
      details: { problem: 'reserved_character', character: shown },
    });
  });

  it('allows the last segment to be "." or "..", and any segment but the last to start with a dot', () => {
    expect(refusal(() => checkPortableSegments('a/..', ['a', '..']))).toBe('accepted');
    expect(refusal(() => checkPortableSegments('a/.', ['a', '.']))).toBe('accepted');
    expect(refusal(() => checkPortableSegments('.a/b', ['.a', 'b']))).toBe('accepted');
    expect(refusal(() => checkPortableSegments('', []))).toBe('accepted');
    expect(refusal(() => checkPortableSegments('a/ ~x', ['a', ' ~x']))).toBe('accepted');
  });
});

describe('stripMediaExtension', () => {
  it.each([
    ['take1.mp4', 'take1'],
    ['take1.MP4', 'take1'],
    ['take1.webp', 'take1'],
    ['take1.jpg', 'take1'],
    ['take1.png', 'take1'],
    ['take1.mov', 'take1'],
    ['take1.txt', 'take1.txt'],
    ['take1', 'take1'],
    ['clips.v2/take1', 'clips.v2/take1'],
    ['clips.v2\\take1', 'clips.v2\\take1'],
    ['a/b.mp4', 'a/b'],
  ])('%s → %s', (name, stem) => {
    expect(stripMediaExtension(name)).toBe(stem);
  });
});

describe('printableName', () => {
  it('shows control characters as ? and cuts a name over 120 characters with an ellipsis', () => {
    expect(printableName('a\u0000b\u001fc\u007fd\te')).toBe('a?b?c?d?e');
    expect(printableName('x'.repeat(120))).toBe('x'.repeat(120));
    expect(printableName('x'.repeat(121))).toBe(`${'x'.repeat(120)}…`);
  });
});
