import type { ModelCapabilities, PriceTier } from '../domain/controls';
import { CancelledError, isDomainError, type DomainError } from '../domain/errors';
import { capabilitiesOf, pricesOf, type ModelCatalog, type ModelSource } from '../domain/model-catalog';
import { profileOf, type Clock, type ReportedModel, type VideoProvider } from '../domain/ports';

/** What is known about one model, and where it comes from. */
export interface ModelFacts {
  id: string;
  /** Where the capabilities come from; undefined: nothing is known (the model passes through). */
  origin: ModelSource | undefined;
  capabilities: ModelCapabilities;
  prices: PriceTier[];
  /** The catalog's reference for its facts. */
  reference?: string;
  typicalRenderMs?: number;
}

export type ReportedList = { models: ReportedModel[] } | { error: DomainError };

/** A provider's list is asked for again after this long (prices and models change, but not by the minute). */
const REPORT_TTL_MS = 10 * 60_000;
/**
 * How long a call waits for the provider's list before going on without it (the catalog speaks; under a cap, a model
 * priced only by the list is then refused as unpriced). A stalled list never holds every create for a request timeout.
 */
export const REPORT_WAIT_MS = 10_000;

/**
 * The catalog and the provider's own list, together: what a model takes and costs. The provider's
 * word wins where it says something (OpenRouter reports each model's durations, resolutions and
 * prices, and what it does not list it does not take); the catalog speaks for the rest. The provider's list is cached for a while, and asked for
 * before a create only when the provider reports capabilities at all.
 */
export class ModelDirectory {
  private cached: { at: number; list: Promise<ReportedList> } | undefined;

  constructor(
    private readonly provider: VideoProvider,
    private readonly catalog: ModelCatalog,
    private readonly clock: Clock,
  ) {}

  /** The provider's list is every model it serves (fal, Gemini): the catalog's other models are not its. */
  get listsEveryModel(): boolean {
    return profileOf(this.provider).listsEveryModel === true;
  }

  /** The provider's models (cached, and shared by concurrent callers), or why there are none. */
  reported(signal?: AbortSignal): Promise<ReportedList> {
    const now = this.clock.now();
    if (!this.cached || now - this.cached.at > REPORT_TTL_MS) {
      const list = this.fetch();
      this.cached = { at: now, list };
      // A failed answer is not kept: the next call asks again.
      void list.then((result) => {
        if ('error' in result && this.cached?.list === list) this.cached = undefined;
      });
    }
    return untilAborted(this.cached.list, signal);
  }

  private async fetch(): Promise<ReportedList> {
    try {
      await this.provider.assertReady();
      return { models: await this.provider.listModels() };
    } catch (error) {
      if (!isDomainError(error)) throw error;
      return { error };
    }
  }

  /** Every model id known: the catalog's (aliases too) and, where the provider lists its models, the provider's. */
  async knownIds(signal?: AbortSignal): Promise<string[]> {
    const catalog = this.catalog.entries().flatMap((entry) => [entry.id, ...(entry.aliases ?? [])]);
    if (!profileOf(this.provider).reportsCapabilities) return catalog;
    const list = await this.reported(this.clock.timeout(REPORT_WAIT_MS, signal)).catch(() => undefined);
    return [...catalog, ...(list && 'models' in list ? list.models.map((model) => model.id) : [])];
  }

  /** What is known about `model`: the provider's report (when it reports capabilities) over the catalog's entry. */
  async facts(model: string, signal?: AbortSignal): Promise<ModelFacts> {
    const entry = this.catalog.find(model);
    let reported: ReportedModel | undefined;
    if (profileOf(this.provider).reportsCapabilities) {
      const list = await this.reported(this.clock.timeout(REPORT_WAIT_MS, signal)).catch((error: unknown) => {
        // The caller's own cancellation ends the call; the wait running out only leaves the list out of this one.
        if (signal?.aborted) throw error;
        return undefined;
      });
      reported = list && 'models' in list ? list.models.find((candidate) => candidate.id === model) : undefined;
    }
    // A provider that reports a model's capabilities says all it takes (OpenRouter's null sizes mean none).
    const capabilities = reported?.capabilities ?? (entry ? capabilitiesOf(entry) : {});
    const prices = reported?.prices?.length ? [...reported.prices] : ((entry ? pricesOf(entry) : undefined) ?? []);
    return {
      id: model,
      origin: reported?.capabilities ? 'provider' : entry?.origin,
      capabilities,
      prices,
      reference: reported?.reference ?? entry?.source,
      typicalRenderMs:
        reported?.typicalRenderSeconds !== undefined ? reported.typicalRenderSeconds * 1000 : this.catalog.typicalRenderMs(model),
    };
  }
}

/**
 * The known id a mistyped model most likely meant: the same but for case and punctuation (`sora2`, `Sora_2`), or within two
 * edits (`soar-2`) when its digits are the same and in the same order (so `veo-3.0-…` never stands for `veo-3.1-…`, a
 * model that may well exist) and its route prefix is the same (`runway/…` is not `runwayml/…`). Undefined when nothing is
 * that close.
 */
export function nearestModel(model: string, known: readonly string[]): string | undefined {
  const plain = (id: string) => id.toLowerCase().replace(/[^a-z0-9]/g, '');
  const digits = (id: string) => id.replace(/[^0-9]/g, '');
  // A gateway's route prefix names another provider (`runway/…` beside `runwayml/…`): never a typo of it.
  const prefix = (id: string) => id.slice(0, Math.max(0, id.lastIndexOf('/'))).toLowerCase();
  const same = known.find((id) => id !== model && plain(id) === plain(model));
  if (same !== undefined) return same;
  if (model.length < 4) return undefined;
  let best: { id: string; distance: number } | undefined;
  for (const id of known) {
    if (id === model || digits(id) !== digits(model) || prefix(id) !== prefix(model)) continue;
    const distance = editDistance(model.toLowerCase(), id.toLowerCase());
    if (distance <= 2 && (best === undefined || distance < best.distance)) best = { id, distance };
  }
  return best?.id;
}

/** Damerau-Levenshtein (optimal string alignment): a swap of two neighbours is one edit, as a typist makes it. */
function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i += 1) {
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = value;
    }
  }
  return rows[a.length]![b.length]!;
}

/** The shared answer, or a cancellation as soon as this caller's signal aborts (the others still get it). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(new CancelledError());
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(new CancelledError());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
