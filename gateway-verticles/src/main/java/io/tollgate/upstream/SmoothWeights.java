package io.tollgate.upstream;

import io.tollgate.config.TargetConfig;
import java.util.List;

/**
 * Smooth weighted round robin (nginx's algorithm), run once at compile time: one period of the order, so picking is
 * a single atomic increment. Weights 5:1:1 give {@code a a b a c a a}, not {@code a a a a a b c}.
 */
final class SmoothWeights {

  private SmoothWeights() {
  }

  /** Indexes of {@code targets}, {@code Σ weight / gcd} long, target {@code i} appearing {@code weight_i / gcd} times. */
  static int[] schedule(List<TargetConfig> targets) {
    int gcd = 0;
    int total = 0;
    for (TargetConfig t : targets) {
      gcd = gcd(gcd, t.weight());
    }
    int[] weights = new int[targets.size()];
    for (int i = 0; i < weights.length; i++) {
      weights[i] = targets.get(i).weight() / gcd;
      total += weights[i];
    }
    int[] order = new int[total];
    int[] current = new int[weights.length];
    for (int slot = 0; slot < total; slot++) {
      int best = 0;
      for (int i = 0; i < weights.length; i++) {
        current[i] += weights[i];
        if (current[i] > current[best]) {
          best = i;
        }
      }
      current[best] -= total;
      order[slot] = best;
    }
    return order;
  }

  private static int gcd(int a, int b) {
    return b == 0 ? a : gcd(b, a % b);
  }
}
