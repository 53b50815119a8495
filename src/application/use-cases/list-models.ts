import type { AudioSupport, ModelCapabilities, PriceTier, ReferenceSupport } from '../../domain/controls';
import { DomainError, invalidInput } from '../../domain/errors';
import { capabilitiesOf, pricesOf, type ModelCatalog, type ModelSource } from '../../domain/model-catalog';
import type { ReportedModel } from '../../domain/ports';
import { freezeDeep } from '../../domain/immutable';
import type { ModelDirectory, ReportedList } from '../model-directory';
import type { RunOptions } from '../progress';

/** The controls a model takes beyond size and duration; null where nothing is known. */
export interface ModelControls {
  default_seconds: string | null;
  aspect_ratios: string[] | null;
  resolutions: string[] | null;
  last_frame: boolean | null;
  reference_images: number | null;
  generate_audio: AudioSupport | null;
  seed: boolean | null;
  negative_prompt: boolean | null;
}

/** One model as the models tool reports it; capabilities are null when nothing is known. */
export interface ModelInfo {
  id: string;
  sizes: string[] | null;
  seconds: string[] | null;
  input_reference: ReferenceSupport | null;
  remix: boolean | null;
  controls: ModelControls;
  /** The lowest per-second price among its tiers; null when no price is known. */
  price_usd_per_second: number | null;
  /** Each tier's price (by resolution and sound), with its source. */
  prices: PriceTier[];
  source: ModelSource;
  /** The provider listed this id (false when it did not, or offers no list). */
  reported_by_provider: boolean;
  typical_render_seconds: number | null;
  /** Where the catalog's facts come from. */
  reference_url: string | null;
}

export interface ModelList {
  /** Frozen: made once per provider answer and shared by every call. */
  readonly models: readonly ModelInfo[];
  /** Why the provider's own list is missing (no key, no models list, an error); the catalog is still listed. */
  providerUnavailable?: DomainError;
}

/** What models are known, what each takes and costs: the catalog, merged with what the provider reports. */
export class ListModels {
  constructor(
    private readonly directory: ModelDirectory,
    private readonly catalog: ModelCatalog,
  ) {}

  /**
   * The lists made from each of the provider's answers (the directory keeps one for minutes), by the model asked for:
   * the same answer makes the same list, so it is made once and shared, frozen.
   */
  private readonly made = new WeakMap<ReportedList, Map<string | undefined, ModelList>>();

  /** All models, or with `only` the one with that id or alias (refused, with the known ids, when there is none). */
  async execute(run: RunOptions = {}, only?: string): Promise<ModelList> {
    const answer = await this.directory.reported(run.signal);
    // An alias means its entry, as it does for create.
    const wanted = only === undefined ? undefined : (this.catalog.find(only)?.id ?? only);
    let lists = this.made.get(answer);
    const made = lists?.get(wanted);
    if (made) return made;
    // The models are frozen (made here, shared by every caller); why the provider's list is missing is the directory's.
    const { models, providerUnavailable } = this.listFrom(answer, only, wanted);
    const list: ModelList = Object.freeze({ models: freezeDeep(models), ...(providerUnavailable ? { providerUnavailable } : {}) });
    if (!lists) this.made.set(answer, (lists = new Map<string | undefined, ModelList>()));
    lists.set(wanted, list);
    return list;
  }

  private listFrom(answer: ReportedList, only: string | undefined, wanted: string | undefined): ModelList {
    const reported = 'models' in answer ? answer.models : [];
    const byId = new Map<string, ReportedModel>(reported.map((model) => [model.id, model]));
    // A provider that lists every model it serves has no other: its list is the list, the catalog enriching the models
    // on it, and the user's own entries joining them. Without its list (no key, an error), the catalog speaks.
    const providerOnly = this.directory.listsEveryModel && 'models' in answer;
    const entries = this.catalog
      .entries()
      .filter((entry) => !providerOnly || entry.origin === 'user' || [entry.id, ...(entry.aliases ?? [])].some((id) => byId.has(id)));
    const models: ModelInfo[] = entries.map((entry) => {
      const ids = [entry.id, ...(entry.aliases ?? [])];
      const report = ids.map((id) => byId.get(id)).find((found) => found !== undefined);
      const caps = report?.capabilities ?? capabilitiesOf(entry);
      const prices = report?.prices?.length ? [...report.prices] : (pricesOf(entry) ?? []);
      return info(entry.id, caps, prices, report?.capabilities ? 'provider' : entry.origin, report !== undefined, {
        typical: report?.typicalRenderSeconds ?? entry.typical_render_seconds,
        reference: report?.reference ?? entry.source,
      });
    });
    const known = new Set(entries.flatMap((entry) => [entry.id, ...(entry.aliases ?? [])]));
    for (const model of reported) {
      if (known.has(model.id)) continue;
      known.add(model.id);
      models.push(
        info(model.id, model.capabilities ?? {}, [...(model.prices ?? [])], 'provider', true, {
          typical: model.typicalRenderSeconds,
          reference: model.reference,
        }),
      );
    }
    const chosen = wanted === undefined ? models : models.filter((model) => model.id === wanted);
    if (chosen.length === 0) {
      throw invalidInput('model', {
        rule: 'unknown_model',
        model: only ?? '',
        known: models.map((model) => model.id),
        provider_listed: !('error' in answer),
        // Without the provider's list the model may still exist: say why the list is missing.
        ...('error' in answer ? { provider_error: answer.error } : {}),
      });
    }
    return 'error' in answer ? { models: chosen, providerUnavailable: answer.error } : { models: chosen };
  }
}

function info(
  id: string,
  caps: ModelCapabilities,
  prices: PriceTier[],
  source: ModelSource,
  reported: boolean,
  extra: { typical?: number; reference?: string },
): ModelInfo {
  const list = (value: readonly string[] | undefined) => (value ? [...value] : null);
  return {
    id,
    sizes: list(caps.sizes),
    seconds: list(caps.seconds),
    input_reference: caps.input_reference ?? null,
    remix: caps.remix ?? null,
    controls: {
      default_seconds: caps.default_seconds ?? null,
      aspect_ratios: list(caps.aspect_ratios),
      resolutions: list(caps.resolutions),
      last_frame: caps.last_frame ?? null,
      reference_images: caps.reference_images ?? null,
      generate_audio: caps.audio ?? null,
      seed: caps.seed ?? null,
      negative_prompt: caps.negative_prompt ?? null,
    },
    price_usd_per_second: prices.length > 0 ? Math.min(...prices.map((tier) => tier.usd_per_second)) : null,
    prices: prices.map((tier) => ({ ...tier })),
    source,
    reported_by_provider: reported,
    typical_render_seconds: extra.typical ?? null,
    reference_url: extra.reference ?? null,
  };
}
