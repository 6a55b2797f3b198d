package io.tollgate.loadtests;

import io.tollgate.testkit.auth.TokenIssuer;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The benchmark's identity provider: a real OIDC issuer (discovery + JWKS, RS256) from the test kit, and one
 * long-lived token for the full-chain contender written to a file. Runs until killed.
 *
 * <pre>java -cp tollgate-loadgen.jar io.tollgate.loadtests.BenchIdp TOKEN_FILE DISCOVERY_FILE</pre>
 */
public final class BenchIdp {

  private BenchIdp() {
  }

  public static void main(String[] args) throws Exception {
    Vertx vertx = Vertx.vertx();
    TokenIssuer idp = TokenIssuer.start(vertx);
    String token = idp.token().sub("alice").aud("api://bench").expiresIn(Duration.ofHours(6)).sign();
    Files.writeString(Path.of(args[0]), token);
    Files.writeString(Path.of(args[1]), idp.discoveryUri());
    Thread.currentThread().join();
  }
}
