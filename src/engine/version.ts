/**
 * Bumped whenever a change can alter a trace hash for the same scenario and seed
 * (event order, RNG draws, hashing). Golden hashes in test/golden are pinned per version.
 */
export const ENGINE_VERSION = '0.3.0';
