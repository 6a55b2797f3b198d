package io.tollgate.auth.jwt;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rough per-operation costs, logged (see target/surefire-reports/*JwtBenchmarkTest-output.txt) and never
 * asserted: timings on 2 shared cores are too noisy to fail a build on. It asserts only that every measured
 * verification succeeded, so the numbers are for the real path. Not JMH: a few warm-up passes, then the
 * average over several passes.
 */
class JwtBenchmarkTest {

  private static final Logger LOG = LoggerFactory.getLogger(JwtBenchmarkTest.class);
  private static final int WARMUP_PASSES = 3;

  private final JwtVerifier verifier = new JwtVerifier();

  @Test
  void logsTheCostOfVerificationColdAndCached() throws Exception {
    LOG.info("JVM {}, {} CPUs, system load average {} (other processes skew these numbers)",
        System.getProperty("java.vm.version"), Runtime.getRuntime().availableProcessors(),
        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    try (IssuerFixture fixture = IssuerFixture.start()) {
      KeySet keys = fixture.keys();
      IssuerPolicy policy = fixture.policy();
      Instant now = Instant.now();
      List<String> rs256 = mint(fixture, JwsAlgorithm.RS256, 1000);

      long cold = nanosPerVerify(rs256, 5, token -> verifier.verify(token, policy, keys, now));
      LOG.info("RS256 verify, no cache, key cached, {} distinct tokens: {} ns/op", rs256.size(), cold);

      VerifiedTokenCache cache = new VerifiedTokenCache(verifier);
      long hit = nanosPerVerify(rs256, 50, token -> cache.verify(token, policy, keys, now));
      LOG.info("RS256 verify, cache hit, {} distinct tokens: {} ns/op (hits {}, misses {})", rs256.size(), hit,
          cache.hits(), cache.misses());

      // Fewer tokens for the elliptic curves: on JDK 17 one ES256 verification takes around a millisecond.
      for (JwsAlgorithm algorithm : EnumSet.of(JwsAlgorithm.PS256, JwsAlgorithm.ES256, JwsAlgorithm.EdDSA)) {
        List<String> tokens = mint(fixture, algorithm, algorithm == JwsAlgorithm.PS256 ? 300 : 100);
        LOG.info("{} verify, no cache, {} distinct tokens: {} ns/op", algorithm, tokens.size(),
            nanosPerVerify(tokens, 3, token -> verifier.verify(token, policy, keys, now)));
      }

      logPerCallSignatureCost(keys.select("rs256-1", JwsAlgorithm.RS256).key(), rs256);
    }
  }

  @Test
  void logsTheCacheAtTenThousandDistinctTokens() {
    // HS256 so that minting 10,000 distinct tokens takes milliseconds, not the ~10 s of RSA signing.
    IssuerPolicy policy = IssuerPolicy.of("https://internal.example", Set.of(), EnumSet.of(JwsAlgorithm.HS256));
    KeySet keys = KeySet.hmac(HmacTokens.SECRET, Instant.now());
    Instant now = Instant.now();
    List<String> tokens = new ArrayList<>();
    for (int i = 0; i < VerifiedTokenCache.DEFAULT_CAPACITY; i++) {
      tokens.add(HmacTokens.sign(HmacTokens.HS256_HEADER, "{\"iss\":\"https://internal.example\",\"sub\":\"user-" + i
          + "\",\"scope\":\"orders:read orders:write\",\"exp\":" + now.plusSeconds(600).getEpochSecond() + "}"));
    }

    long cold = nanosPerVerify(tokens, 3, token -> verifier.verify(token, policy, keys, now));
    VerifiedTokenCache cache = new VerifiedTokenCache(verifier);
    long hit = nanosPerVerify(tokens, 10, token -> cache.verify(token, policy, keys, now));

    LOG.info("HS256 verify, no cache, {} distinct tokens: {} ns/op", tokens.size(), cold);
    LOG.info("HS256 verify, cache hit, {} distinct tokens (cache full, no evictions: {}): {} ns/op", tokens.size(),
        cache.evictions(), hit);
    assertThat(cache.size()).isEqualTo(tokens.size());
  }

  /** A fresh {@code Signature.getInstance} per verification versus the per-thread reuse the verifier does. */
  private static void logPerCallSignatureCost(java.security.Key key, List<String> tokens) throws Exception {
    List<byte[]> inputs = new ArrayList<>();
    List<byte[]> signatures = new ArrayList<>();
    for (String token : tokens) {
      int dot = token.lastIndexOf('.');
      inputs.add(token.substring(0, dot).getBytes(StandardCharsets.US_ASCII));
      signatures.add(Base64Url.decode(token, dot + 1, token.length()));
    }
    int passes = 5;
    long fresh = 0;
    long reused = 0;
    for (int pass = 0; pass < WARMUP_PASSES + passes; pass++) {
      long start = System.nanoTime();
      for (int i = 0; i < inputs.size(); i++) {
        Signature signature = JoseSignatures.newSignature(JwsAlgorithm.RS256);
        signature.initVerify((PublicKey) key);
        signature.update(inputs.get(i));
        assertThat(signature.verify(signatures.get(i))).isTrue();
      }
      long middle = System.nanoTime();
      for (int i = 0; i < inputs.size(); i++) {
        byte[] input = inputs.get(i);
        assertThat(JoseSignatures.verify(JwsAlgorithm.RS256, key, input, input.length, signatures.get(i))).isTrue();
      }
      long end = System.nanoTime();
      if (pass >= WARMUP_PASSES) {
        fresh += middle - start;
        reused += end - middle;
      }
    }
    long count = (long) passes * inputs.size();
    LOG.info("RS256 signature only: new Signature per call {} ns/op, per-thread Signature {} ns/op",
        fresh / count, reused / count);
  }

  private static List<String> mint(IssuerFixture fixture, JwsAlgorithm algorithm, int count) {
    List<String> tokens = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      tokens.add(fixture.token(algorithm).sub("user-" + i).scope("orders:read").aud("tollgate")
          .expiresIn(Duration.ofMinutes(10)).sign());
    }
    return tokens;
  }

  private static long nanosPerVerify(List<String> tokens, int passes,
      java.util.function.Function<String, JwtResult> verify) {
    long measured = 0;
    int valid = 0;
    for (int pass = 0; pass < WARMUP_PASSES + passes; pass++) {
      long start = System.nanoTime();
      for (String token : tokens) {
        if (verify.apply(token) instanceof JwtResult.Valid) {
          valid++;
        }
      }
      if (pass >= WARMUP_PASSES) {
        measured += System.nanoTime() - start;
      }
    }
    assertThat(valid).isEqualTo((WARMUP_PASSES + passes) * tokens.size());
    return measured / ((long) passes * tokens.size());
  }
}
