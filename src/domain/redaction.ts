/**
 * The one redaction function: every MCP message (through the exit gate), every log line and every
 * line `doctor` prints passes through it. Besides the exact secrets, it masks key-shaped tokens
 * (`sk-…`, `Bearer …`) and the partly masked echoes providers make of a configured secret
 * (`gw_li*****4068`, `sk-ab…xyz`): a token with a run of `*`, `…` or `...` whose visible start is the
 * start of a secret, or whose visible end is the end of one.
 */
const KEY_SHAPED = /\b(sk|sess|rk)-[A-Za-z0-9_*.-]{6,}/g;
const BEARER = /\b(Bearer)\s+[A-Za-z0-9_*.~+/=-]{6,}/gi;
/** A mask run, found first so the scan stays linear: a pattern that starts anywhere in a long token backtracks. */
const MASK_RUN = /\*{3,}|…|\.{3,}/g;
const VISIBLE = /[A-Za-z0-9_~+/=-]/;
/** How far around a mask the visible part of an echo can reach. */
const MAX_VISIBLE_CHARS = 64;
/** Shorter secrets would blank ordinary words; exact matching starts here. */
const MIN_SECRET_CHARS = 4;
const MIN_VISIBLE_CHARS = 3;

export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  const usable = secrets.filter((secret) => secret.length >= MIN_SECRET_CHARS);
  for (const secret of usable) out = out.split(secret).join('[redacted]');
  if (usable.length > 0) out = redactMaskedEchoes(out, usable);
  return out.replace(KEY_SHAPED, '$1-[redacted]').replace(BEARER, '$1 [redacted]');
}

/** Replaces each mask run, with the visible characters around it, when they echo a secret's start or end. */
function redactMaskedEchoes(text: string, secrets: readonly string[]): string {
  let out = '';
  let copied = 0;
  for (const match of text.matchAll(MASK_RUN)) {
    const at = match.index;
    if (at < copied) continue;
    let start = at;
    while (start > copied && at - start < MAX_VISIBLE_CHARS && VISIBLE.test(text[start - 1]!)) start -= 1;
    let end = at + match[0].length;
    while (end < text.length && end - (at + match[0].length) < MAX_VISIBLE_CHARS && VISIBLE.test(text[end]!)) end += 1;
    if (!isMaskedEcho(text.slice(start, at), text.slice(at + match[0].length, end), secrets)) continue;
    out += `${text.slice(copied, start)}[redacted]`;
    copied = end;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/** The visible characters next to a mask echo a secret when their part nearest the mask starts or ends one. */
function isMaskedEcho(head: string, tail: string, secrets: readonly string[]): boolean {
  return secrets.some((secret) => {
    for (let k = Math.min(head.length, secret.length - 1); k >= MIN_VISIBLE_CHARS; k -= 1)
      if (secret.startsWith(head.slice(-k))) return true;
    for (let k = Math.min(tail.length, secret.length - 1); k >= MIN_VISIBLE_CHARS; k -= 1)
      if (secret.endsWith(tail.slice(0, k))) return true;
    return false;
  });
}
