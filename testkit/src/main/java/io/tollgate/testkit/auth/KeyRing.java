package io.tollgate.testkit.auth;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The keys of one {@link TokenIssuer}: every key it ever held (retired ones too, so tests can still sign with
 * them), which are published, which algorithm signs by default, and lazily made "stranger" keys that are
 * never published (for forged tokens). Thread-safe; keys are generated outside the lock so an event loop
 * serving the JWKS never waits for RSA key generation.
 */
final class KeyRing {

  private final AtomicInteger sequence = new AtomicInteger();
  private final List<SigningKey> keys = new ArrayList<>();
  private final Set<String> retired = new HashSet<>();
  private final Map<JwsAlgorithm, SigningKey> strangers = new EnumMap<>(JwsAlgorithm.class);
  private JwsAlgorithm signingAlgorithm;

  KeyRing(JwsAlgorithm signingAlgorithm) {
    this.signingAlgorithm = signingAlgorithm;
  }

  /** Generates a key, publishes it and makes it the newest (active) key of its algorithm. */
  SigningKey add(JwsAlgorithm algorithm) {
    String kid = algorithm.joseName().toLowerCase(Locale.ROOT) + "-" + sequence.incrementAndGet();
    SigningKey key = SigningKey.generate(kid, algorithm);
    synchronized (this) {
      keys.add(key);
    }
    return key;
  }

  /** Adds a key of {@code algorithm} and makes that algorithm the default for signing. */
  SigningKey rotate(JwsAlgorithm algorithm) {
    SigningKey key = add(algorithm);
    synchronized (this) {
      signingAlgorithm = algorithm;
    }
    return key;
  }

  synchronized void retire(String kid) {
    byKid(kid);
    retired.add(kid);
  }

  synchronized SigningKey signingKey() {
    return active(signingAlgorithm);
  }

  /** The newest published key of {@code algorithm}. */
  synchronized SigningKey active(JwsAlgorithm algorithm) {
    for (int i = keys.size() - 1; i >= 0; i--) {
      SigningKey key = keys.get(i);
      if (key.algorithm() == algorithm && !retired.contains(key.kid())) {
        return key;
      }
    }
    throw new IllegalStateException("no published " + algorithm.joseName() + " key: all were retired");
  }

  /** Any key this ring ever held, retired or not. */
  synchronized SigningKey byKid(String kid) {
    for (SigningKey key : keys) {
      if (key.kid().equals(kid)) {
        return key;
      }
    }
    throw new IllegalArgumentException("no key with kid " + kid + "; known: "
        + keys.stream().map(SigningKey::kid).toList());
  }

  /** Published keys, oldest first. */
  synchronized List<SigningKey> published() {
    return keys.stream().filter(key -> !retired.contains(key.kid())).toList();
  }

  /** A key of {@code algorithm} that is never published, made on first use. */
  SigningKey stranger(JwsAlgorithm algorithm) {
    synchronized (this) {
      SigningKey known = strangers.get(algorithm);
      if (known != null) {
        return known;
      }
    }
    SigningKey made = SigningKey.generate("attacker-" + algorithm.joseName().toLowerCase(Locale.ROOT), algorithm);
    synchronized (this) {
      return strangers.computeIfAbsent(algorithm, a -> made);
    }
  }

  synchronized List<SigningKey> strangers() {
    return List.copyOf(strangers.values());
  }
}
