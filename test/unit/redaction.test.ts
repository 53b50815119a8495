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
