package io.tollgate.auth.keys;

import io.tollgate.auth.jwt.JwsAlgorithm;
import io.tollgate.auth.jwt.KeySet;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.time.Instant;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for JWK parsing, so the keys verticle's fetching, refreshing and publishing are tested on their own:
 * it records every JWKS document it is handed and reports as kids the {@code kid}s of the keys whose {@code alg} is
 * pinned — no crypto. {@link KeySet} instances are opaque tokens here; they are allocated without running a
 * constructor, so this works whatever {@code KeySet}'s constructor becomes (its factories are stubs until the JWT
 * package lands; once they work, the verticle's default {@link KeySetFactory#JWT} is what production uses).
 */
final class RecordingKeySets implements KeySetFactory {

  final KeySet empty = allocate();
  final List<JsonObject> jwksSeen = new CopyOnWriteArrayList<>();
  private final Map<KeySet, Set<String>> kids = Collections.synchronizedMap(new IdentityHashMap<>());

  RecordingKeySets() {
    kids.put(empty, Set.of());
  }

  @Override
  public KeySet fromJwks(JsonObject jwks, Set<JwsAlgorithm> algorithms, Instant fetchedAt) {
    jwksSeen.add(jwks.copy());
    JsonArray keys = jwks.getJsonArray("keys");
    if (keys == null) {
      throw new IllegalArgumentException("not a JWK Set: no keys array");
    }
    Set<String> found = new LinkedHashSet<>();
    for (Object key : keys) {
      JsonObject jwk = (JsonObject) key;
      JwsAlgorithm alg = JwsAlgorithm.fromJose(jwk.getString("alg"));
      if (alg != null && algorithms.contains(alg) && jwk.getString("kid") != null) {
        found.add(jwk.getString("kid"));
      }
    }
    KeySet set = allocate();
    kids.put(set, Set.copyOf(found));
    return set;
  }

  @Override
  public KeySet hmac(byte[] secret, Instant loadedAt) {
    KeySet set = allocate();
    kids.put(set, Set.of("hs256-secret"));
    return set;
  }

  @Override
  public KeySet empty() {
    return empty;
  }

  @Override
  public Set<String> kids(KeySet keys) {
    return kids.get(keys);
  }

  @Override
  public List<String> problems(KeySet keys) {
    return List.of();
  }

  /** The kids of the {@code index}-th JWKS document seen, as the issuer served them (all algorithms). */
  Set<String> servedKids(int index) {
    Set<String> served = new LinkedHashSet<>();
    jwksSeen.get(index).getJsonArray("keys").forEach(k -> served.add(((JsonObject) k).getString("kid")));
    return served;
  }

  private static KeySet allocate() {
    try {
      Class<?> unsafeClass = Class.forName("sun.misc.Unsafe");
      Field field = unsafeClass.getDeclaredField("theUnsafe");
      field.setAccessible(true);
      Method allocateInstance = unsafeClass.getMethod("allocateInstance", Class.class);
      return (KeySet) allocateInstance.invoke(field.get(null), KeySet.class);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot allocate a stand-in KeySet", e);
    }
  }
}
