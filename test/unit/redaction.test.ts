import { RedactingLogger } from '../../src/adapters/logging/redacting-logger';
import { DomainError } from '../../src/domain/errors';
import { Presenter } from '../../src/mcp/presenter';
import { ExitGate } from '../../src/mcp/exit-gate';
import { redactSecrets } from '../../src/domain/redaction';
import { silentLogger } from '../support/fakes';

/** Keys that do not look like OpenAI's: only exact matching can catch them. */
const GATEWAY_KEY = 'gw_live_7f3a9c2e5b1d4068';
const AZURE_KEY = '0123abcd4567ef890123abcd4567ef89';

describe('the one redaction point', () => {
  it('scrubs any configured secret from log lines, their data and errors in them, on stderr and in sinks', () => {
    const lines: string[] = [];
    const sunk: string[] = [];
    const logger = new RedactingLogger('debug', [GATEWAY_KEY, AZURE_KEY], (line) => lines.push(line));
    logger.attach((_level, message, data) => sunk.push(message + JSON.stringify(data)));
    logger.log('warn', `retrying with ${GATEWAY_KEY}`, { header: `Bearer ${AZURE_KEY}`, error: new Error(`bad key ${GATEWAY_KEY}`) });
    const everything = lines.join('') + sunk.join('');
    expect(everything).toContain('retrying with [redacted]');
    expect(everything).not.toContain(GATEWAY_KEY);
    expect(everything).not.toContain(AZURE_KEY);
  });

  it('scrubs any configured secret from error results', () => {
    const presenter = new Presenter(silentLogger);
    const result = presenter.error(new DomainError('bad_request', `provider said ${GATEWAY_KEY} and ${AZURE_KEY} are wrong`));
    const sent = new ExitGate([GATEWAY_KEY, AZURE_KEY]).pass({ jsonrpc: '2.0', id: 1, result });
    expect(JSON.stringify(sent)).not.toMatch(new RegExp(`${GATEWAY_KEY}|${AZURE_KEY}`));
  });

  it.each([
    ['gw_li*****4068', 'a masked echo of a gateway key (start and end)'],
    ['gw_live_7f***', 'its start only'],
    ['****5b1d4068', 'its end only'],
    ['0123ab…ef89', 'an ellipsis mask'],
    ['sk-abc***wxyz', 'an sk- key shape'],
  ])('scrubs %s (%s)', (echo) => {
    const out = redactSecrets(`Incorrect API key provided: ${echo}.`, [GATEWAY_KEY, AZURE_KEY]);
    expect(out).not.toContain(echo);
    expect(out).toContain('[redacted]');
  });

  it('leaves ordinary masked-looking text alone', () => {
    expect(redactSecrets('loading... done ***', [GATEWAY_KEY])).toBe('loading... done ***');
  });

  it('stays quiet below its level', () => {
    const lines: string[] = [];
    new RedactingLogger('warn', [], (line) => lines.push(line)).log('info', 'hidden');
    expect(lines).toEqual([]);
  });
});

/** A secret whose start (`abc…`) and end (`…xyz`) a provider may echo around a mask. */
const SECRET = 'abcdefghwxyz';

describe('redactSecrets, value by value', () => {
  it.each([
    // Exact matching starts at four characters: shorter secrets would blank ordinary words.
    ['the key abcd failed', ['abcd'], 'the key [redacted] failed'],
    ['the key abc failed', ['abc'], 'the key abc failed'],
    ['abcd and abcd', ['abcd', 'ab'], '[redacted] and [redacted]'],
    ['nothing to hide', [], 'nothing to hide'],
  ])('%j with secrets %j is %j', (text, secrets, out) => {
    expect(redactSecrets(text, secrets)).toBe(out);
  });

  it.each([
    // Key shapes are masked whatever the secrets, their prefix kept so the reader knows what was there.
    ['used sk-abcdef123 here', 'used sk-[redacted] here'],
    ['used rk-ab_c.d-e here', 'used rk-[redacted] here'],
    ['Authorization: Bearer abc.def-123', 'Authorization: Bearer [redacted]'],
    ['authorization: bearer abc.def-123', 'authorization: bearer [redacted]'],
    // Too short to be a key.
    ['task-abc sk-abcde Bearer abcde', 'task-abc sk-abcde Bearer abcde'],
  ])('%j is %j', (text, out) => {
    expect(redactSecrets(text, [])).toBe(out);
  });

  it.each([
    // Three visible characters next to the mask are enough; two are not.
    ['key abc*** end', 'key [redacted] end'],
    ['key ab*** end', 'key ab*** end'],
    ['key ***xyz end', 'key [redacted] end'],
    ['key ***yz end', 'key ***yz end'],
    ['key abc…xyz end', 'key [redacted] end'],
    ['key abc...q end', 'key [redacted] end'],
    // Only the part nearest the mask must echo the secret: what comes before or after it is taken along.
    ['key=abcd*** end', '[redacted] end'],
    ['key ***wxyz_more end', 'key [redacted] end'],
    // Visible characters that echo neither end of a secret leave the mask alone.
    ['value***done', 'value***done'],
    ['abz***', 'abz***'],
    // A second mask right after the first echo is judged on its own.
    ['abc***wxyz***wxyz', '[redacted][redacted]'],
    ['abc***wxyz***nope', '[redacted]***nope'],
  ])('%j is %j', (text, out) => {
    expect(redactSecrets(text, [SECRET])).toBe(out);
  });

  it('looks no further than 64 visible characters either side of a mask, and never before the text', () => {
    const filler = 'Z'.repeat(70);
    expect(redactSecrets(`${filler}abcd***`, [SECRET])).toBe(`${'Z'.repeat(10)}[redacted]`);
    expect(redactSecrets(`***wxyz${filler}`, [SECRET])).toBe(`[redacted]${'Z'.repeat(10)}`);
    const spaces = ' '.repeat(100);
    expect(redactSecrets(`abcd***${spaces}`, [SECRET])).toBe(`[redacted]${spaces}`);
    expect(redactSecrets(`abcd***`, [SECRET])).toBe('[redacted]');
  });
});
