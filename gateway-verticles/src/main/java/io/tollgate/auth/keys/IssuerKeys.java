package io.tollgate.auth.keys;

import io.tollgate.auth.jwt.KeySet;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * One issuer's keys as the gateway holds them now: immutable, replaced as a whole.
 *
 * @param keys        what tokens are verified with; {@code KeySet.empty()} until the first successful fetch (fail
 *                    closed), then the last good set — a failed refresh never replaces it
 * @param kids        {@code keys.kids()}, sorted, captured when the set was made (for status pages)
 * @param issuer      the {@code iss} tokens must carry ({@link IssuerSource#expectedIssuer()})
 * @param fetchedAt   when {@code keys} were fetched (or the secret loaded); null while there are none
 * @param lastAttempt when the last fetch attempt ended, successful or not; null before the first one
 * @param lastError   why the last attempt failed; null when it succeeded (the message never holds key material)
 * @param version     starts at 0 and grows by one whenever {@code keys} is replaced; not on failed attempts
 */
public record IssuerKeys(KeySet keys, Set<String> kids, String issuer, Instant fetchedAt, Instant lastAttempt,
    String lastError, long version) {

  public IssuerKeys {
    Objects.requireNonNull(keys, "keys");
    Objects.requireNonNull(issuer, "issuer");
    // RFC 7517 §4.5: kid is optional, so a key set may hold keys without one; they are not listed.
    TreeSet<String> named = new TreeSet<>();
    kids.stream().filter(Objects::nonNull).forEach(named::add);
    kids = Collections.unmodifiableSortedSet(named);
  }

  /** No keys yet. */
  static IssuerKeys none(KeySet empty, String issuer) {
    return new IssuerKeys(empty, Set.of(), issuer, null, null, null, 0);
  }

  /** Replaces the keys after a successful fetch; clears the error. */
  IssuerKeys replacedBy(KeySet fresh, Set<String> freshKids, Instant at) {
    return new IssuerKeys(fresh, freshKids, issuer, at, at, null, version + 1);
  }

  /** Records a failed attempt; the keys stay. */
  IssuerKeys failed(String error, Instant at) {
    return new IssuerKeys(keys, kids, issuer, fetchedAt, at, error, version);
  }

  public boolean hasKeys() {
    return fetchedAt != null;
  }

  /** How old the keys in force are (staleness), or null when there are none. */
  public Duration age(Instant now) {
    return fetchedAt == null ? null : Duration.between(fetchedAt, now);
  }
}
