package io.tollgate.config;

import java.util.Locale;

/** How a service's requests are spread over its targets ({@code services.<name>.loadBalancer}). */
public enum LoadBalancer {
  /** Power of two choices: of two random healthy targets, the one with fewer requests in flight per weight. Default. */
  LEAST_REQUEST,
  /** Each healthy target in turn; weights are ignored. */
  ROUND_ROBIN,
  /** Smooth weighted round robin: target {@code i} gets {@code weight_i / Σ weight} of the requests, interleaved. */
  WEIGHTED,
  /**
   * Rendezvous (highest random weight) hashing of a request key ({@link HashOn}) over the available targets, with
   * weights: the same key goes to the same target while it is available; when a target leaves, only its keys move.
   * A request without the key is balanced as by {@link #LEAST_REQUEST}.
   */
  CONSISTENT_HASH;

  /** The YAML spelling, e.g. {@code least-request}. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** Parses the YAML spelling; null when unknown. */
  static LoadBalancer parse(String text) {
    for (LoadBalancer lb : values()) {
      if (lb.configName().equalsIgnoreCase(text)) {
        return lb;
      }
    }
    return null;
  }
}
