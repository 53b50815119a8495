import { isDomainError, type DomainError } from '../../domain/errors';
import type { ModelCatalog, ModelSource, ReferenceSupport } from '../../domain/model-catalog';
import type { VideoProvider } from '../../domain/ports';
import type { RunOptions } from '../progress';

/** One model as the models tool reports it; capabilities are null when nothing is known. */
export interface ModelInfo {
  id: string;
  sizes: string[] | null;
  seconds: string[] | null;
  input_reference: ReferenceSupport | null;
  remix: boolean | null;
  source: ModelSource;
  /** The provider listed this id on `GET /models` (false when it did not, or offers no list). */
  reported_by_provider: boolean;
  typical_render_seconds: number | null;
  /** Where the catalog's facts come from. */
  reference_url: string | null;
}

export interface ModelList {
  models: ModelInfo[];
  /** Why the provider's own list is missing (no key, no `GET /models`, an error); the catalog is still listed. */
  providerUnavailable?: DomainError;
}

/** What models, sizes and durations are known: the catalog, merged with what the provider reports. */
export class ListModels {
  constructor(
    private readonly provider: VideoProvider,
    private readonly catalog: ModelCatalog,
  ) {}

  async execute(run: RunOptions = {}): Promise<ModelList> {
    let reported: string[] = [];
    let providerUnavailable: DomainError | undefined;
    try {
      await this.provider.assertReady();
      reported = await this.provider.listModels({ signal: run.signal });
    } catch (error) {
      if (!isDomainError(error) || error.code === 'cancelled') throw error;
      providerUnavailable = error;
    }
    const reportedSet = new Set(reported);
    const models: ModelInfo[] = this.catalog.entries().map((entry) => ({
      id: entry.id,
      sizes: entry.sizes ?? null,
      seconds: entry.seconds ?? null,
      input_reference: entry.input_reference ?? null,
      remix: entry.remix ?? null,
      source: entry.origin,
      reported_by_provider: [entry.id, ...(entry.aliases ?? [])].some((id) => reportedSet.has(id)),
      typical_render_seconds: entry.typical_render_seconds ?? null,
      reference_url: entry.source,
    }));
    const known = new Set(this.catalog.entries().flatMap((entry) => [entry.id, ...(entry.aliases ?? [])]));
    for (const id of reported) {
      if (known.has(id)) continue;
      known.add(id);
      models.push({
        id,
        sizes: null,
        seconds: null,
        input_reference: null,
        remix: null,
        source: 'provider',
        reported_by_provider: true,
        typical_render_seconds: null,
        reference_url: null,
      });
    }
    return providerUnavailable ? { models, providerUnavailable } : { models };
  }
}
