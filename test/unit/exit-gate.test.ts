import fc from 'fast-check';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { freezeDeep } from '../../src/domain/immutable';
import { ClearedParts } from '../../src/mcp/cleared-parts';
import { ExitGate, REPLY_BUDGET_BYTES } from '../../src/mcp/exit-gate';
import { MAX_STRING_CHARS } from '../../src/mcp/limits';
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

describe('the exit gate, for answers made once and served many times (frozen)', () => {
  /** As the SDK sends a tool's result: its top levels copied (it validates them into a fresh object), the rest shared. */
  const asSent = (answer: { content: unknown[]; structuredContent: Record<string, unknown> }): JSONRPCMessage =>
    result({
      content: answer.content.map((block) => ({ ...(block as object) })),
      structuredContent: { ...answer.structuredContent },
      _meta: { served: 'by the SDK' },
    });
  const answerWith = (text: string) => {
    const data = freezeDeep(Array.from({ length: 200 }, (_, i) => ({ id: `model-${i}`, note: text })));
    const structuredContent = { object: 'list', data };
    return freezeDeep({ content: [{ type: 'text', text: JSON.stringify(structuredContent) }], structuredContent });
  };

  it('passes the same answer unchanged every time, and still redacts what is new around it', () => {
    const own = new ExitGate(SECRETS);
    const answer = answerWith('plain');
    for (let i = 0; i < 3; i += 1) expect(own.pass(asSent(answer))).toEqual(asSent(answer));
    // The frozen parts were scanned before; a secret in what the SDK added around them is not.
    const around = asSent(answer) as unknown as { result: Record<string, unknown> };
    around.result._meta = { note: `key ${SECRETS[0]}` };
    const sent = JSON.stringify(own.pass(around as unknown as JSONRPCMessage));
    expect(sent).not.toContain(SECRETS[0]);
    expect(sent).toContain('model-199');
  });

  it('redacts a frozen answer that holds a secret every time it is sent (it is never taken as scanned)', () => {
    const own = new ExitGate(SECRETS);
    const answer = answerWith(`leaked ${SECRETS[1]}`);
    for (let i = 0; i < 3; i += 1) {
      const sent = JSON.stringify(own.pass(asSent(answer)));
      expect(sent).not.toContain(SECRETS[1]);
      expect(sent).toContain('[redacted]');
    }
  });

  it('counts the parts it does not scan again against the budget', () => {
    const small = new ExitGate(SECRETS, 100_000);
    const part = freezeDeep({ rows: Array.from({ length: 30 }, (_, i) => `${i}`.padEnd(1_500, '.')) });
    expect(size(part)).toBeGreaterThan(45_000);
    // Alone it fits, and passes (and is cleared); twice in one answer it is over 100 kB, and is withheld.
    expect(small.pass(result({ content: [], structuredContent: { part } }))).toEqual(result({ content: [], structuredContent: { part } }));
    const twice = small.pass(result({ content: [], structuredContent: { part, again: part, more: part } })) as unknown as {
      result: { isError?: boolean; content: { text: string }[] };
    };
    expect(twice.result.isError).toBe(true);
    expect(twice.result.content[0]!.text).toMatch(/this server sends in one message/);
  });

  it('property: a gate that has seen an answer before sends exactly what a fresh gate sends', () => {
    const seasoned = new ExitGate(SECRETS);
    const text = fc.oneof(fc.string({ maxLength: 40 }), planted, fc.string({ minLength: 4_100, maxLength: 5_000 }));
    fc.assert(
      fc.property(
        fc.array(fc.record({ id: fc.string({ maxLength: 8 }), note: text }), { maxLength: 5 }),
        fc.oneof(text, fc.constant('x'.repeat(5_000))),
        fc.boolean(),
        (rows, summary, frozen) => {
          const structuredContent = { object: 'list', data: frozen ? freezeDeep(rows) : rows };
          const answer = {
            content: [
              { type: 'text', text: summary },
              { type: 'text', text: JSON.stringify(structuredContent) },
            ],
            structuredContent,
          };
          if (frozen) freezeDeep(answer);
          for (let i = 0; i < 2; i += 1) expect(seasoned.pass(asSent(answer))).toEqual(new ExitGate(SECRETS).pass(asSent(answer)));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('scans a part it has passed once no more: the probe holds null (or "") in its place, and counts its bytes', () => {
    const parts = new ClearedParts();
    const data = freezeDeep([{ id: 'model-1' }]);
    const long = 'y'.repeat(5_000);
    const message = () => result({ structuredContent: { data }, content: [{ type: 'text', text: long }] });
    const first = parts.probe(message());
    expect(first.probe).toEqual(message());
    first.passed();
    const second = parts.probe(message());
    expect(second.probe).toEqual(result({ structuredContent: { data: null }, content: [{ type: 'text', text: '' }] }));
    expect(second.clearedBytes).toBe(size(data) + size(long));
    // A notification is scanned whole, always.
    const note = { jsonrpc: '2.0', method: 'notifications/message', params: { data: long } };
    expect(parts.probe(note).probe).toBe(note);
  });
});
