import { RedactingLogger } from '../../src/adapters/logging/redacting-logger';
import { DomainError } from '../../src/domain/errors';
import { Presenter } from '../../src/mcp/presenter';
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
    const presenter = new Presenter([GATEWAY_KEY, AZURE_KEY], silentLogger);
    const result = presenter.error(new DomainError('bad_request', `provider said ${GATEWAY_KEY} and ${AZURE_KEY} are wrong`));
    expect(JSON.stringify(result)).not.toMatch(new RegExp(`${GATEWAY_KEY}|${AZURE_KEY}`));
  });

  it('stays quiet below its level', () => {
    const lines: string[] = [];
    new RedactingLogger('warn', [], (line) => lines.push(line)).log('info', 'hidden');
    expect(lines).toEqual([]);
  });
});
