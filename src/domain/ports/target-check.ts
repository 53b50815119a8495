import type { TargetRefusal } from '../errors';

/** An address a URL's host was checked at: the connection to that URL goes there and nowhere else (DNS rebinding). */
export interface PinnedAddress {
  address: string;
  family: number;
}

/** Why a target is refused, or, for a target on another origin than the provider's, the address it was checked at. */
export type TargetVerdict = { refused: TargetRefusal } | { pin?: PinnedAddress };
