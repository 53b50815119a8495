import { invalidInput, isDomainError, RAISED_BEFORE_SENDING, withContext, type ErrorCode } from './errors';

/*
 * The rules that keep a provider from receiving a request dearer than the caps allow (ADR 0015, round four): a price
 * is a finite positive number or unknown; `provider_options` carry nothing that decides the price; a reservation is
 * given back only when the provider certainly made no job.
 */

/** A price as a provider wrote it: a finite positive number (or such a number as a string), else unknown, never zero. */
export function priceOf(value: unknown): number | undefined {
  const number = typeof value === 'number' ? value : typeof value === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(value) ? Number(value) : NaN;
  return Number.isFinite(number) && number > 0 ? number : undefined;
}

/**
 * Field names that decide what a job costs, in any provider's words: the model, its length, its size or resolution,
 * how many are made, and sound. `provider_options` may carry none of them, at any depth: the estimate is the price
 * of what the server sets, so nothing may reopen it. Compared without case, `-` or `_`.
 */
const PRICE_DECIDING = new Set(
  [
    'model',
    'models',
    'seconds',
    'duration',
    'duration_seconds',
    'length',
    'num_frames',
    'frames',
    'fps',
    'frame_rate',
    'size',
    'resolution',
    'width',
    'height',
    'aspect_ratio',
    'quality',
    'n',
    'count',
    'num_videos',
    'num_outputs',
    'number_of_videos',
    'sample_count',
    'batch_size',
    'variants',
    'generate_audio',
    'audio',
    'with_audio',
    'enable_audio',
    'sound',
  ].map(normalised),
);

function normalised(key: string): string {
  return key.toLowerCase().replace(/[-_\s]/g, '');
}

/** The path of the first price-deciding field in `options` (own keys, any depth), or undefined. */
export function priceDecidingFieldIn(options: unknown, path: string[] = []): string | undefined {
  if (Array.isArray(options)) {
    for (const [index, item] of options.entries()) {
      const found = priceDecidingFieldIn(item, [...path, String(index)]);
      if (found) return found;
    }
    return undefined;
  }
  if (!options || typeof options !== 'object') return undefined;
  for (const key of Object.keys(options)) {
    if (PRICE_DECIDING.has(normalised(key))) return [...path, key].join('.');
    const found = priceDecidingFieldIn((options as Record<string, unknown>)[key], [...path, key]);
    if (found) return found;
  }
  return undefined;
}

/** Refuses `provider_options` that carry a field deciding the price (nothing is sent). */
export function checkProviderOptions(options: Readonly<Record<string, unknown>> | undefined): void {
  const found = priceDecidingFieldIn(options);
  if (found === undefined) return;
  throw invalidInput('provider_options', { rule: 'provider_options_price', key: found });
}

const BEFORE_SENDING: ReadonlySet<ErrorCode> = new Set<ErrorCode>(RAISED_BEFORE_SENDING);

/**
 * Whether a failed create or remix certainly made no job at the provider: our own checks refused it, or the provider
 * refused it (a 4xx answer). A cancellation, a timeout, a reset, a 5xx or an answer that could not be read may hide a
 * job that exists, so its reservation is kept.
 */
export function madeNoJob(error: unknown): boolean {
  if (!isDomainError(error)) return false;
  if (BEFORE_SENDING.has(error.code)) return true;
  const status = error.details?.status;
  return typeof status === 'number' && status >= 400 && status < 500;
}

/** What a budget covers: one UTC day (the default), one UTC month, or all time. */
export type BudgetPeriod = 'day' | 'month' | 'all';

const DAY_MS = 86_400_000;

/** When the period that holds `nowMs` began (UTC), in milliseconds since the epoch. */
export function periodStart(period: BudgetPeriod, nowMs: number): number {
  if (period === 'all') return 0;
  const day = Math.floor(nowMs / DAY_MS);
  if (period === 'day') return day * DAY_MS;
  // The civil date of `day` (H. Hinnant's days-to-civil algorithm), for the first day of its month.
  const z = day + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const shiftedMonth = Math.floor((5 * dayOfYear + 2) / 153);
  const month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return Date.UTC(year, month - 1, 1);
}

/**
 * The error of a create or remix whose request may have left: its estimate stays counted (the job may exist), and the
 * error says so, so the caller repeats it with its idempotency key rather than paying again. A cancellation is passed
 * through: nobody is left to tell.
 */
export function estimateKept(error: unknown): unknown {
  if (!isDomainError(error) || error.code === 'cancelled') return error;
  return withContext(error, { details: { estimate_kept: true } });
}
