import { OPERATIONS } from '../../src/mcp/toolsets';
import { GENERIC } from '../../src/mcp/error-words';

const openaiVideosCreateInput = OPERATIONS.create.input({}, GENERIC);
const openaiVideosDownloadContentInput = OPERATIONS.download.input({}, GENERIC);
const openaiVideosListInput = OPERATIONS.list.input({}, GENERIC);
const openaiVideosRemixInput = OPERATIONS.remix.input({}, GENERIC);
const openaiVideosDeleteInput = OPERATIONS.delete.input({}, GENERIC);

function messages(result: { success: boolean; error?: { issues: { message: string; path: PropertyKey[] }[] } }): string {
  return (result.error?.issues ?? []).map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('\n');
}

describe('tool input schemas', () => {
  it('fills the documented defaults', () => {
    expect(openaiVideosCreateInput.parse({ prompt: 'x' })).toEqual({
      prompt: 'x',
      input_reference_fit: 'match',
      input_reference_background: 'blur',
      wait_for_completion: false,
      timeout_ms: 300_000,
      download_variants: ['video'],
      overwrite: false,
    });
    expect(openaiVideosDownloadContentInput.parse({ video_id: 'v' })).toEqual({ video_id: 'v', variant: 'video', overwrite: false });
  });

  it.each(['720x1280', '1280x720', '1024x1792', '1792x1024'])('accepts size %s', (size) => {
    expect(openaiVideosCreateInput.parse({ prompt: 'x', size }).size).toBe(size);
  });

  it.each(['1920x1080', '1080x1920', '3840x2160', '848x480'])(
    'accepts any WIDTHxHEIGHT such as %s (the model catalog judges it, not the schema)',
    (size) => {
      expect(openaiVideosCreateInput.parse({ prompt: 'x', size }).size).toBe(size);
    },
  );

  it.each(['1920*1080', '1080p', 'x720', '0x720', '1920x1080 ', '99999x720', ''])('refuses %j as a size, saying the format', (size) => {
    expect(messages(openaiVideosCreateInput.safeParse({ prompt: 'x', size }))).toContain(
      'size must be WIDTHxHEIGHT in pixels, such as 1280x720',
    );
  });

  it('accepts seconds as a string or as the number an agent may send, and sends the string', () => {
    expect(openaiVideosCreateInput.parse({ prompt: 'x', seconds: '8' }).seconds).toBe('8');
    expect(openaiVideosCreateInput.parse({ prompt: 'x', seconds: 12 }).seconds).toBe('12');
    expect(openaiVideosCreateInput.parse({ prompt: 'x', seconds: 10 }).seconds).toBe('10');
    expect(openaiVideosCreateInput.parse({ prompt: 'x', seconds: '20' }).seconds).toBe('20');
    for (const bad of [4.5, '4.5', 0, '0', -4, '04', 'eight', '']) {
      expect(messages(openaiVideosCreateInput.safeParse({ prompt: 'x', seconds: bad }))).toContain(
        'seconds must be a whole number of seconds',
      );
    }
  });

  it('accepts any model id for compatible providers', () => {
    expect(openaiVideosCreateInput.parse({ prompt: 'x', model: 'acme-video-3' }).model).toBe('acme-video-3');
  });

  it('bounds the waiting options', () => {
    expect(messages(openaiVideosCreateInput.safeParse({ prompt: 'x', timeout_ms: 999 }))).toContain('timeout_ms must be at least 1000');
    expect(messages(openaiVideosCreateInput.safeParse({ prompt: 'x', timeout_ms: 3_600_001 }))).toContain('at most 3600000');
    expect(messages(openaiVideosCreateInput.safeParse({ prompt: 'x', poll_interval_ms: 50 }))).toContain('poll_interval_ms');
    expect(messages(openaiVideosCreateInput.safeParse({ prompt: 'x', download_variants: ['video', 'video'] }))).toContain('twice');
    expect(messages(openaiVideosCreateInput.safeParse({ prompt: 'x', download_variants: ['gif'] }))).toContain('variant "gif"');
  });

  it('validates the reference options', () => {
    expect(openaiVideosCreateInput.parse({ prompt: 'x', input_reference_background: '#1A2b3c' }).input_reference_background).toBe(
      '#1A2b3c',
    );
    expect(messages(openaiVideosCreateInput.safeParse({ prompt: 'x', input_reference_background: 'red' }))).toContain('"#1a2b3c"');
    expect(messages(openaiVideosCreateInput.safeParse({ prompt: 'x', input_reference_fit: 'crop' }))).toContain(
      'input_reference_fit must be',
    );
  });

  it('refuses unknown fields by name, listing the valid ones', () => {
    const text = messages(openaiVideosCreateInput.safeParse({ prompt: 'x', duration: 8 }));
    expect(text).toContain('"duration"');
    expect(text).toContain('valid fields: prompt, model, seconds, size');
  });

  it('requires a prompt and a video id', () => {
    expect(messages(openaiVideosCreateInput.safeParse({ prompt: '' }))).toContain('prompt is empty');
    expect(openaiVideosRemixInput.safeParse({ prompt: 'x' }).success).toBe(false);
    expect(openaiVideosDeleteInput.safeParse({ video_id: '' }).success).toBe(false);
  });

  it('bounds list parameters', () => {
    expect(openaiVideosListInput.parse({ limit: 100, order: 'asc', after: 'video_1' })).toEqual({
      limit: 100,
      order: 'asc',
      after: 'video_1',
    });
    expect(messages(openaiVideosListInput.safeParse({ limit: 0 }))).toContain('limit must be between 1 and 100');
    expect(messages(openaiVideosListInput.safeParse({ limit: 101 }))).toContain('limit must be between 1 and 100');
    expect(messages(openaiVideosListInput.safeParse({ order: 'newest' }))).toContain('order must be "asc" or "desc"');
  });
});
