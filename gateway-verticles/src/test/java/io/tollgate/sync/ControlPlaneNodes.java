package io.tollgate.sync;

import io.tollgate.testing.TestGateway;
import io.tollgate.testkit.postgres.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** Bootstrap YAML and environment for gateway nodes sharing one control plane (Postgres + config topic). */
final class ControlPlaneNodes {

  static final String ADMIN_KEY = "admin-key-for-tests-0123456789abcdef";
  static final String VIEWER_KEY = "viewer-key-for-tests-0123456789abcdef";

  private ControlPlaneNodes() {
  }

  /** Postgres as a gateway config names it: user in the URL, the password apart. */
  static String url(TestDatabase db) {
    return "postgresql://" + db.user() + "@" + db.host() + ":" + db.port() + "/" + db.database();
  }

  static String bootstrap(TestDatabase db, String bootstrapServers, String topic, Path lastKnownGood) {
    return bootstrap(url(db), bootstrapServers, topic, lastKnownGood, "30s");
  }

  static String bootstrap(String pgUrl, String bootstrapServers, String topic, Path lastKnownGood,
      String pollInterval) {
    return """
        listener: { port: 0 }
        management: { port: 0 }
        shutdown: { readinessGrace: 0s, drainTimeout: 5s }
        auth:
          issuers:
            - { name: sso, issuer: "https://idp.example", hs256Secret: "${SSO_SECRET}", rolesClaim: roles }
        controlPlane:
          postgres: { url: "%s", password: "${PG_PASSWORD:}" }
          kafka: { bootstrapServers: "%s" }
          topic: %s
          lastKnownGood: "%s"
          pollInterval: %s
          relay: { interval: 200ms }
          adminKeys:
            - { name: ops, key: "${ADMIN_KEY}", role: read-write }
            - { name: viewer, key: "${VIEWER_KEY}", role: read-only }
          adminJwt: { issuer: sso }
          references: { env: [APP_URL] }
        """.formatted(pgUrl, bootstrapServers, topic, lastKnownGood, pollInterval);
  }

  static Map<String, String> env(TestDatabase db, String upstreamUrl) {
    Map<String, String> env = new HashMap<>();
    env.put("PG_PASSWORD", db.password());
    env.put("ADMIN_KEY", ADMIN_KEY);
    env.put("VIEWER_KEY", VIEWER_KEY);
    env.put("APP_URL", upstreamUrl);
    env.put("SSO_SECRET", io.tollgate.testing.VerifiedTokens.SECRET_TEXT);
    return env;
  }

  /** Polls until {@code condition} holds; fails after {@code timeout}. Returns the time it took. */
  static Duration await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + what);
      }
      Thread.sleep(10);
    }
    return Duration.ofNanos(System.nanoTime() - start);
  }

  static boolean serves(TestGateway node, String path) {
    try {
      return node.get(path).statusCode() == 200;
    } catch (RuntimeException e) {
      return false;
    }
  }
}
