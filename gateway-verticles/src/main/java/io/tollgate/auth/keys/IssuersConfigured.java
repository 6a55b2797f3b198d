package io.tollgate.auth.keys;

import java.util.List;

/**
 * Event: the configured token issuers changed (a config reload). {@code AuthKeysVerticle} reconciles its fetchers
 * with this list. Local codec only.
 *
 * @param sources every issuer now configured
 */
public record IssuersConfigured(List<IssuerSource> sources) {

  public IssuersConfigured {
    sources = List.copyOf(sources);
  }
}
