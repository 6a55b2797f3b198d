package io.tollgate.upstream;

/**
 * Weighted rendezvous (highest random weight) hashing, Thaler and Ravishankar 1998, with the logarithmic weighting of
 * Schindelhauer and Schomaker ("weighted distributed hash tables", 2005): a key goes to the target with the highest
 * {@code weight / -ln(u)}, where {@code u ∈ (0, 1)} is a uniform hash of (key, target). Target {@code i} then gets
 * {@code weight_i / Σ weight} of the keys, and removing a target moves only the keys it had. Pure, allocation-free,
 * and the same on every node (hashes depend on the key and the target's address only).
 */
final class Rendezvous {

  private static final long FNV_OFFSET = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;

  private Rendezvous() {
  }

  /** A 64-bit hash of {@code text} (FNV-1a over UTF-16 code units, then mixed); never {@link ServiceTargets#NO_HASH}. */
  static long hash(CharSequence text) {
    return hash(text, 0, text.length());
  }

  /** As {@link #hash(CharSequence)} for {@code text[from, to)}, without copying it. */
  static long hash(CharSequence text, int from, int to) {
    long h = FNV_OFFSET;
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      h = (h ^ (c & 0xff)) * FNV_PRIME;
      h = (h ^ (c >>> 8)) * FNV_PRIME;
    }
    long mixed = mix(h);
    return mixed == ServiceTargets.NO_HASH ? 1 : mixed;
  }

  /** The score of {@code target} (its address hash) for {@code key}: higher wins. Weight ≥ 1. */
  static double score(long key, long target, int weight) {
    long h = mix(key ^ mix(target));
    // 53 random bits, centred in their interval so u is never 0 or 1.
    double u = ((h >>> 11) + 0.5) * 0x1.0p-53;
    return weight / -Math.log(u);
  }

  /** SplitMix64's finaliser (Steele, Lea, Flood 2014): a bijective avalanche of 64 bits. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
