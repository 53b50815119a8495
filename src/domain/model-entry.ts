import type { ModelCapabilities } from './controls';

/**
 * One entry of a model catalog, as the built-in `model-catalog.json` and a user's `SORA2_MCP_MODELS`
 * file write it: what a model takes (its capabilities, in the same words), its prices and where they
 * were read. Declared as a plain interface (model-catalog.ts proves its schema parses to exactly this),
 * so the configuration's types need no validator's types.
 */
export interface ModelEntry extends ModelCapabilities {
  id: string;
  aliases?: readonly string[];
  prices?: readonly PriceEntry[];
  typical_render_seconds?: number;
  source: string;
  notes?: string;
}

/** A price a catalog entry cites: US dollars per second of video, for one resolution and sound setting, and where it was read. */
export interface PriceEntry {
  usd_per_second: number;
  resolution?: string;
  audio?: boolean;
  source: string;
  read: string;
}
