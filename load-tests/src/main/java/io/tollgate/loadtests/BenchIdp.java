package io.tollgate.loadtests;

import io.tollgate.testkit.auth.TokenIssuer;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The benchmark's identity provider: a real OIDC issuer (discovery + JWKS, RS256) from the test kit, and
 * long-lived tokens (audience {@code api://bench}) written to a file, one per line: line {@code u + 1} is the token
 * of {@link BenchKafka#owner(int) user-u}, for u in 0…USERS−1 (default 1). Runs until killed.
 *
 * <pre>java -cp tollgate-loadgen.jar io.tollgate.loadtests.BenchIdp TOKEN_FILE DISCOVERY_FILE [USERS]</pre>
 */
public final class BenchIdp {

  private BenchIdp() {
  }

  public static void main(String[] args) throws Exception {
    Vertx vertx = Vertx.vertx();
    TokenIssuer idp = TokenIssuer.start(vertx);
    int users = args.length > 2 ? Integer.parseInt(args[2]) : 1;
    StringBuilder tokens = new StringBuilder();
    for (int u = 0; u < users; u++) {
      tokens.append(idp.token().sub(BenchKafka.owner(u)).aud("api://bench").expiresIn(Duration.ofHours(6)).sign())
          .append('\n');
    }
    // Written before the discovery file, which the scripts wait for.
    Files.writeString(Path.of(args[0]), tokens);
    Files.writeString(Path.of(args[1]), idp.discoveryUri());
    Thread.currentThread().join();
  }
}
