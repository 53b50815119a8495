/**
 * The one place secrets are scrubbed from outgoing text: every error result and log line passes
 * through it. Besides the exact secrets, it masks key-shaped tokens such as a provider's echo of a
 * partly masked key (`sk-abc***xyz`).
 */
const KEY_SHAPED = /\b(sk|sess|rk)-[A-Za-z0-9_*.-]{6,}/g;
const BEARER = /\b(Bearer)\s+[A-Za-z0-9_*.~+/=-]{6,}/gi;

export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join('[redacted]');
  }
  return out.replace(KEY_SHAPED, '$1-[redacted]').replace(BEARER, '$1 [redacted]');
}
