import { isDomainError } from '../../src/domain/errors';
import { describeError, GENERIC } from '../../src/mcp/error-words';

/**
 * What an agent reads for a refusal: the MCP layer's sentence from the error's code and details, with its code, as the
 * presenter writes it. Tests of the core and the adapters assert on this, the words at the edge, never on a message.
 */
export function agentText(error: unknown): string {
  if (!isDomainError(error)) throw error;
  return `${describeError(error, GENERIC)} (code: ${error.code})`;
}

/** What the agent reads when `promise` is refused; a promise that resolves says so, and the assertion fails. */
export async function said(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return agentText(error);
  }
  return 'it was not refused';
}

/** What the agent reads when `call` throws. */
export function saidBy(call: () => unknown): string {
  try {
    call();
  } catch (error) {
    return agentText(error);
  }
  return 'it was not refused';
}

/** A sentence with `words` in it, ending with `code`. */
export function saying(code: string, words: string): RegExp {
  return new RegExp(`${words.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.*\\(code: ${code}\\)$`, 's');
}

/** The code, field and facts of what `promise` was refused with (what the MCP layer writes its sentence from). */
export async function refusalOf(promise: Promise<unknown>): Promise<{ code: string; field: string | undefined; details: unknown }> {
  try {
    await promise;
  } catch (error) {
    if (!isDomainError(error)) throw error;
    return { code: error.code, field: error.field, details: error.details };
  }
  throw new Error('expected a refusal');
}
