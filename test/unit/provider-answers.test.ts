import { readErrorBody } from '../../src/adapters/openai/error-bodies';
import { liteLlmRemixId } from '../../src/adapters/openai/dialects/openai';
import { priceTiers } from '../../src/adapters/openai/dialects/openrouter';
import { geometryOf, priceFor, sizeFor } from '../../src/domain/controls';
import { DomainError } from '../../src/domain/errors';
import { describeError, GENERIC } from '../../src/mcp/error-words';
import { LiteLlmFake } from '../support/gateways/litellm';

describe('error bodies, whatever their shape', () => {
  it.each([
    [
      'OpenAI',
      400,
      '{"error":{"message":"Invalid size","type":"invalid_request_error","param":"size","code":"invalid_size"}}',
      'Invalid size',
      'invalid_size',
    ],
    [
      'OpenRouter (a numeric code equal to the status)',
      402,
      '{"error":{"code":402,"message":"Insufficient credits"}}',
      'Insufficient credits',
      undefined,
    ],
    [
      'LiteLLM (the status as a string code)',
      400,
      '{"error":{"message":"No connected db.","type":"no_db_connection","param":null,"code":"400"}}',
      'No connected db.',
      undefined,
    ],
    ['a bare error string', 500, '{"error":"upstream timed out"}', 'upstream timed out', undefined],
    ['FastAPI (a string detail)', 405, '{"detail":"Method Not Allowed"}', 'Method Not Allowed', undefined],
    [
      'FastAPI (validation errors)',
      422,
      '{"detail":[{"loc":["body","seconds"],"msg":"field required","type":"missing"}]}',
      'seconds: field required',
      undefined,
    ],
    [
      'RFC 7807',
      429,
      '{"type":"https://x/rate","title":"Too Many Requests","status":429,"detail":"Slow down for 30 s"}',
      'Too Many Requests: Slow down for 30 s',
      undefined,
    ],
    ['a message field', 503, '{"message":"maintenance"}', 'maintenance', undefined],
    ['plain text', 502, 'Bad gateway from upstream', 'Bad gateway from upstream', undefined],
    ['Hono', 404, '404 Not Found', '404 Not Found', undefined],
  ])('reads %s', (_shape, status, body, message, code) => {
    expect(readErrorBody(status, body)).toEqual({
      status,
      message,
      ...(code ? { code } : {}),
      ...(/^\{"(error":\{[^}]*"type":"|type":")/.test(body) ? { type: expect.any(String) } : {}),
    });
  });

  it('describes an HTML page instead of quoting its markup, and bounds a long message', () => {
    expect(readErrorBody(502, `<!DOCTYPE html><html><body>${'x'.repeat(5000)}</body></html>`).message).toMatch(
      /^\(an HTML page \(\d+ characters\)\)$/,
    );
    expect(readErrorBody(500, JSON.stringify({ error: { message: 'y'.repeat(2000) } })).message).toHaveLength(501);
  });

  it('has nothing to quote for an empty body', () => {
    expect(readErrorBody(500, '')).toEqual({ status: 500 });
  });
});

describe('the sentences, one voice', () => {
  const said = (code: DomainError['code'], details: Record<string, unknown>) =>
    describeError(new DomainError(code, 'x', { details }), GENERIC);

  it('quotes a 500 and says when the gateway cannot reach what is behind it', () => {
    const text = said('provider_unavailable', {
      status: 500,
      provider: 'the provider',
      provider_message: 'litellm.APIConnectionError: openai - Cannot connect to host api.openai.com:443',
      upstream_unreachable: 'api.openai.com',
    });
    expect(text).toContain('(500: "litellm.APIConnectionError: openai - Cannot connect to host api.openai.com:443")');
    expect(text).toContain('It could not reach api.openai.com behind it');
    expect(text).not.toContain('Try again shortly');
  });

  it('never doubles a code, and adds one that says more than the status', () => {
    expect(said('bad_request', { status: 400, provider_message: 'bad' })).toBe('The provider rejected the request (400: "bad").');
    expect(said('bad_request', { status: 400, provider_code: 'invalid_size', provider_message: 'bad' })).toContain(
      '(400 invalid_size: "bad")',
    );
  });

  it('mentions the Sora retirement only for sora-2 models', () => {
    expect(said('model_retired', { status: 404, model: 'sora-2' })).toContain('2026-09-24');
    const other = said('model_not_found', { status: 400, model: 'wan-2.6', provider_message: 'Unsupported video model' });
    expect(other).toContain('does not serve model wan-2.6');
    expect(other).toContain('the models tool');
    expect(other).not.toContain('2026-09-24');
  });
});

describe("LiteLLM's remix ids", () => {
  it("put the source's model_id back into a remix answer's id, keeping its video", () => {
    const source = LiteLlmFake.encode('video_src', 'sora-2');
    const answer = LiteLlmFake.encode('video_remix', '');
    const repaired = liteLlmRemixId(answer, source)!;
    expect(LiteLlmFake.decode(repaired)).toEqual({ provider: 'openai', modelId: 'sora-2', videoId: 'video_remix' });
  });

  it('leave every other id alone', () => {
    expect(liteLlmRemixId('video_abc', LiteLlmFake.encode('v', 'sora-2'))).toBeUndefined();
    expect(liteLlmRemixId(LiteLlmFake.encode('v2', 'sora-2'), LiteLlmFake.encode('v', 'sora-2'))).toBeUndefined();
    expect(liteLlmRemixId('task_1:runway', 'task_0:runway')).toBeUndefined();
  });
});

describe("OpenRouter's pricing SKUs", () => {
  it('reads the per-second families, converts cents, and leaves token prices out', () => {
    expect(
      priceTiers({
        'per-video-second': '0.50',
        'per-video-second-1080p': '0.75',
        duration_seconds_with_audio_4k: '0.60',
        duration_seconds_without_audio_720p: '0.20',
        cents_per_second_output: '8.4',
        video_tokens: '0.000007',
        generate: '0.50',
      }),
    ).toEqual([
      expect.objectContaining({ usd_per_second: 0.5 }),
      expect.objectContaining({ usd_per_second: 0.75, resolution: '1080p' }),
      expect.objectContaining({ usd_per_second: 0.6, resolution: '4K', audio: true }),
      expect.objectContaining({ usd_per_second: 0.2, resolution: '720p', audio: false }),
    ]);
    expect(priceTiers({ video_tokens: '0.000007' })).toEqual([]);
  });

  it('keeps the dearer of two SKUs for one tier (text-to-video and image-to-video)', () => {
    expect(priceTiers({ text_to_video_duration_seconds_720p: '0.10', image_to_video_duration_seconds_720p: '0.12' })).toEqual([
      expect.objectContaining({ usd_per_second: 0.12, resolution: '720p' }),
    ]);
  });
});

describe('sizes and aspect ratios with resolutions', () => {
  it.each([
    ['16:9', '720p', '1280x720'],
    ['9:16', '1080p', '1080x1920'],
    ['1:1', '720p', '720x720'],
    ['16:9', '480p', '854x480'],
    ['16:9', '4K', '3840x2160'],
    ['21:9', '1080p', '2520x1080'],
  ])('%s at %s is %s', (aspect, resolution, size) => {
    expect(sizeFor(aspect, resolution)).toBe(size);
  });

  it('has no size for a resolution that vendors size differently', () => {
    expect(sizeFor('16:9', '2K')).toBeUndefined();
  });

  it.each([
    ['1280x720', { aspectRatio: '16:9', resolution: '720p' }],
    ['1080x1920', { aspectRatio: '9:16', resolution: '1080p' }],
    ['854x480', { aspectRatio: '16:9', resolution: '480p' }],
    ['3840x2160', { aspectRatio: '16:9', resolution: '4K' }],
    ['1000x1000', undefined],
    ['1920x1088', undefined],
  ])('%s goes back to %o', (size, geometry) => {
    expect(geometryOf(size)).toEqual(geometry);
  });

  it('prices a request by its most specific tier', () => {
    const tiers = [
      { usd_per_second: 0.1 },
      { usd_per_second: 0.3, resolution: '1080p' },
      { usd_per_second: 0.4, resolution: '1080p', audio: true },
    ];
    expect(priceFor(tiers, { resolution: '720p', audio: true })?.usd_per_second).toBe(0.1);
    expect(priceFor(tiers, { resolution: '1080p', audio: false })?.usd_per_second).toBe(0.3);
    expect(priceFor(tiers, { resolution: '1080p', audio: true })?.usd_per_second).toBe(0.4);
  });
});
