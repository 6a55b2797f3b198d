package io.tollgate.testkit.auth;

import io.vertx.core.json.JsonObject;
import java.security.KeyPair;
import java.security.PublicKey;

/**
 * One key pair a {@link TokenIssuer} signs with, identified by its {@code kid}. Immutable and thread-safe; the
 * private half never leaves the test kit.
 */
public final class SigningKey {

  private final String kid;
  private final JwsAlgorithm algorithm;
  private final KeyPair pair;
  private final JsonObject publicJwk;

  SigningKey(String kid, JwsAlgorithm algorithm, KeyPair pair) {
    this.kid = kid;
    this.algorithm = algorithm;
    this.pair = pair;
    // Member order as identity providers publish it: kty first, then use/alg/kid, then the key parameters.
    JsonObject members = algorithm.publicJwkMembers(pair.getPublic());
    JsonObject jwk = new JsonObject().put("kty", members.remove("kty"))
        .put("use", "sig").put("alg", algorithm.joseName()).put("kid", kid);
    members.forEach(member -> jwk.put(member.getKey(), member.getValue()));
    this.publicJwk = jwk;
  }

  static SigningKey generate(String kid, JwsAlgorithm algorithm) {
    return new SigningKey(kid, algorithm, algorithm.generateKeyPair());
  }

  public String kid() {
    return kid;
  }

  public JwsAlgorithm algorithm() {
    return algorithm;
  }

  public PublicKey publicKey() {
    return pair.getPublic();
  }

  /** The public JWK ({@code kty}, {@code use: sig}, {@code alg}, {@code kid} and key parameters); a copy. */
  public JsonObject publicJwk() {
    return publicJwk.copy();
  }

  byte[] sign(byte[] input) {
    return algorithm.sign(pair.getPrivate(), input);
  }

  @Override
  public String toString() {
    return "SigningKey[" + kid + ", " + algorithm.joseName() + "]";
  }
}
