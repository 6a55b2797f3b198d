package io.tollgate.auth.jwt;

import io.tollgate.testkit.auth.IssuerOptions;
import io.tollgate.testkit.auth.TokenBuilder;
import io.tollgate.testkit.auth.TokenIssuer;
import io.tollgate.testkit.vertx.Await;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

/**
 * The test kit's OIDC issuer for unit tests of this package: its JWKS is read in-process ({@link TokenIssuer#jwks()}),
 * so no test here makes an HTTP request (the issuer still listens on 127.0.0.1, which nothing here calls).
 */
final class IssuerFixture implements AutoCloseable {

  static final Set<JwsAlgorithm> ASYMMETRIC =
      EnumSet.of(JwsAlgorithm.RS256, JwsAlgorithm.PS256, JwsAlgorithm.ES256, JwsAlgorithm.EdDSA);

  private final Vertx vertx;
  final TokenIssuer idp;

  private IssuerFixture(IssuerOptions options) {
    this.vertx = Vertx.vertx();
    this.idp = TokenIssuer.start(vertx, options);
  }

  static IssuerFixture start() {
    return new IssuerFixture(IssuerOptions.defaults());
  }

  /** The issuer's published keys now, all asymmetric algorithms pinned. */
  KeySet keys() {
    return KeySet.fromJwks(idp.jwks(), ASYMMETRIC, Instant.now());
  }

  /** Exact issuer, no audience check, all asymmetric algorithms pinned, default leeway and size cap. */
  IssuerPolicy policy() {
    return IssuerPolicy.of(idp.issuer(), Set.of(), ASYMMETRIC);
  }

  /** A token signed with the issuer's key for {@code algorithm} (one of the asymmetric ones). */
  TokenBuilder token(JwsAlgorithm algorithm) {
    return idp.token().alg(kit(algorithm));
  }

  static io.tollgate.testkit.auth.JwsAlgorithm kit(JwsAlgorithm algorithm) {
    for (io.tollgate.testkit.auth.JwsAlgorithm candidate : io.tollgate.testkit.auth.JwsAlgorithm.values()) {
      if (candidate.joseName().equals(algorithm.name())) {
        return candidate;
      }
    }
    throw new IllegalArgumentException("the test kit does not sign " + algorithm);
  }

  @Override
  public void close() {
    idp.close();
    Await.result(vertx.close(), Duration.ofSeconds(10));
  }
}
