import fc from 'fast-check';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { ExitGate, MAX_STRING_CHARS, REPLY_BUDGET_BYTES } from '../../src/mcp/exit-gate';
import { asServer, serverBytes, ServerBytes } from '../../src/mcp/server-bytes';

const SECRETS = ['sk-live-SECRET-0123456789abcdef', 'gw_hdr_secret_42424242', 'q-secret-7777777'];
const gate = new ExitGate(SECRETS);
const result = (value: Record<string, unknown>): JSONRPCMessage => ({ jsonrpc: '2.0', id: 7, result: value });
const size = (message: unknown) => Buffer.byteLength(JSON.stringify(message));

/** A string with a secret (or its masked echo) planted somewhere in it. */
const planted = fc
  .tuple(fc.string(), fc.constantFrom(...SECRETS), fc.string(), fc.boolean())
  .map(([before, secret, after, masked]) => `${before}${masked ? `${secret.slice(0, 6)}*****${secret.slice(-4)}` : secret}${after}`);

const EXEMPT_LOOKING = fc.constantFrom('blob', 'data_base64', 'data', 'text', 'type', 'uri', 'mimeType');

describe('the exit gate', () => {
  it('never throws: a result it cannot serialise leaves as a short isError naming the video', () => {
    const cyclic: Record<string, unknown> = { id: 'video_123', status: 'completed' };
    cyclic.self = cyclic;
    const out = gate.pass(result({ content: [], structuredContent: cyclic })) as unknown as {
      result: { isError: boolean; content: { text: string }[] };
    };
    expect(out.result.isError).toBe(true);
    expect(out.result.content[0]!.text).toMatch(/could not be sent.*\(video video_123\)$/);
    const progress = gate.pass({
      jsonrpc: '2.0',
      method: 'notifications/progress',
      params: { progressToken: 3, progress: 10, total: 100, message: cyclic },
    } as unknown as JSONRPCMessage);
    expect(progress).toEqual({
      jsonrpc: '2.0',
      method: 'notifications/progress',
      params: { progressToken: 3, progress: 10, total: 100, message: 'progress details withheld' },
    });
  });

  it('property: secrets planted anywhere in a provider answer never leave, in any block or structuredContent', () => {
    const json = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        planted,
        fc.string(),
        fc.integer(),
        fc.boolean(),
        fc.constant(null),
        tie('array'),
        tie('object'),
      ),
      array: fc.array(tie('value'), { maxLength: 4 }),
      // Every key name, the ones that used to be exempt (bytes fields, the view's text) among them.
      object: fc.dictionary(fc.oneof(fc.string(), planted, EXEMPT_LOOKING), tie('value'), { maxKeys: 4 }),
      // Blocks shaped like the server's own bytes (an image, a resource's blob, the view's HTML), but made by no one.
      lookalike: fc.oneof(
        planted.map((data) => ({ type: 'image', data, mimeType: 'image/png' })),
        planted.map((data) => ({ type: 'audio', data, mimeType: 'audio/wav' })),
        planted.map((blob) => ({ type: 'resource', resource: { uri: 'file:///x.mp4', mimeType: 'video/mp4', blob } })),
        planted.map((text) => ({
          type: 'resource',
          resource: { uri: 'ui://sora2-mcp/video.html', mimeType: 'text/html;profile=mcp-app', text },
        })),
      ),
    }));
    fc.assert(
      fc.property(json.object, planted, json.lookalike, (structured, text, lookalike) => {
        const sent = JSON.stringify(
          gate.pass(
            result({
              content: [{ type: 'text', text }, { type: 'text', text: JSON.stringify(structured) }, lookalike],
              structuredContent: structured,
            }),
          ),
        );
        for (const secret of SECRETS) {
          expect(sent).not.toContain(secret);
          expect(sent).not.toContain(`${secret.slice(0, 6)}*****`);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('still redacts a secret that JSON escapes (the fast path is off for it)', () => {
    const odd = new ExitGate(['pa"ss\\word-12345']);
    const sent = JSON.stringify(odd.pass(result({ content: [{ type: 'text', text: 'the key is pa"ss\\word-12345' }] })));
    expect(sent).not.toContain('ss\\\\word');
    expect(sent).toContain('[redacted]');
  });

  it('redacts progress and log notifications too', () => {
    const progress = gate.pass({
      jsonrpc: '2.0',
      method: 'notifications/progress',
      params: { progressToken: 1, progress: 5, message: `status ${SECRETS[0]}` },
    });
    const log = gate.pass({
      jsonrpc: '2.0',
      method: 'notifications/message',
      params: { level: 'info', data: { message: `x ${SECRETS[1]}` } },
    });
    expect(JSON.stringify([progress, log])).not.toMatch(/SECRET|secret_42/);
  });

  it('property: any oversized answer leaves as a readable message under the budget', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1000, max: 300_000 }),
        fc.constantFrom('"', 'x', '\\', '\u0001'),
        (fields, length, char) => {
          const structured = Object.fromEntries(Array.from({ length: fields }, (_, i) => [`f${i}`, char.repeat(length)]));
          const sent = gate.pass(result({ content: [{ type: 'text', text: JSON.stringify(structured) }], structuredContent: structured }));
          expect(size(sent)).toBeLessThanOrEqual(REPLY_BUDGET_BYTES);
          expect(() => JSON.parse(JSON.stringify(sent))).not.toThrow();
        },
      ),
      { numRuns: 40 },
    );
  });

  it("cuts one long string and says how much was cut; keeps the server's own base64 bytes whole", () => {
    const image = 'A'.repeat(200_000);
    const own = new ServerBytes();
    const message = result({
      content: [
        { type: 'text', text: 'q'.repeat(MAX_STRING_CHARS + 10) },
        asServer(own, () => serverBytes({ type: 'image', data: image, mimeType: 'image/png' }, 'data')),
      ],
    });
    const sent = gate.pass(message, own) as unknown as { result: { content: { text?: string; data?: string }[] } };
    expect(sent.result.content[0]!.text).toMatch(/… \[10 more characters cut\]$/);
    expect(sent.result.content[1]!.data).toBe(image);
  });

  it("lets a server's bytes through its own gate only: another server's answer (another HTTP request) is cut and redacted", () => {
    const image = `${'B'.repeat(100_000)}pa"ss\\word-12345`;
    const first = new ServerBytes();
    const second = new ServerBytes();
    asServer(first, () => serverBytes({ data: image }, 'data'));
    const other = gate.pass(result({ content: [{ type: 'image', data: image, mimeType: 'image/png' }] }), second) as unknown as {
      result: { content: { data: string }[] };
    };
    expect(other.result.content[0]!.data.length).toBeLessThan(image.length);
    // Outside any server nothing is registered at all.
    serverBytes({ data: image }, 'data');
    expect(first.take(image)).toBe(true);
    expect(first.take(image)).toBe(false);
  });

  it('turns a result that is still too big into an isError result that says why', () => {
    const many = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`f${i}`, 'x'.repeat(60_000)]));
    const sent = gate.pass(result({ content: [], structuredContent: many })) as unknown as {
      result: { isError: boolean; content: { text: string }[] };
    };
    expect(sent.result.isError).toBe(true);
    expect(sent.result.content[0]!.text).toMatch(/over the 4\.0 MiB this server sends in one message/);
  });
});
