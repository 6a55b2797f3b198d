package io.tollgate.admin;

import io.tollgate.auth.AuthSetup;
import io.tollgate.config.ControlPlaneConfig.AdminJwtConfig;
import io.tollgate.config.ControlPlaneConfig.AdminKeyConfig;
import io.tollgate.config.ControlPlaneConfig.AdminRole;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Admin API authentication, {@code Authorization: Bearer <credential>}:
 * <ul>
 *   <li>an <b>admin key</b>, compared by SHA-256 digest in constant time with every configured key (no early exit,
 *       so timing does not reveal which key nearly matched);</li>
 *   <li>or, with {@code controlPlane.adminJwt}, a <b>JWT</b> of that issuer, verified exactly as a route accepting
 *       the issuer would (pinned algorithms, audiences, expiry, published keys); its roles claim grants
 *       read-write or read-only. A valid token with neither role authenticates but may do nothing (403).</li>
 * </ul>
 */
final class AdminAuth {

  /** Who is calling, and what they may do; {@code role} null: authenticated, no admin role. */
  record Caller(String name, AdminRole role) {

    boolean mayWrite() {
      return role == AdminRole.READ_WRITE;
    }

    boolean mayRead() {
      return role != null;
    }
  }

  /** Verifies a token of an issuer; null when invalid. */
  interface TokenVerifier {
    AuthSetup.VerifiedCaller verify(String token, String issuer);
  }

  private final List<AdminKeyConfig> keys;
  private final AdminJwtConfig jwt;
  private final TokenVerifier tokens;

  AdminAuth(List<AdminKeyConfig> keys, AdminJwtConfig jwt, TokenVerifier tokens) {
    this.keys = List.copyOf(keys);
    this.jwt = jwt;
    this.tokens = tokens;
  }

  /** The caller of a request with this {@code Authorization} header, or null. */
  Caller authenticate(String authorization) {
    if (authorization == null || authorization.length() < 8
        || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    String credential = authorization.substring(7).trim();
    if (jwt != null && credential.chars().filter(c -> c == '.').count() == 2) {
      AuthSetup.VerifiedCaller verified = tokens.verify(credential, jwt.issuer());
      if (verified == null) {
        return null;
      }
      AdminRole role = verified.roles().contains(jwt.readWriteRole()) ? AdminRole.READ_WRITE
          : verified.roles().contains(jwt.readOnlyRole()) ? AdminRole.READ_ONLY : null;
      return new Caller(jwt.issuer() + ":" + verified.subject(), role);
    }
    byte[] digest = sha256(credential);
    Caller match = null;
    for (AdminKeyConfig key : keys) {
      byte[] expected = HexFormat.of().parseHex(key.hash().substring("sha256:".length()));
      if (MessageDigest.isEqual(expected, digest)) {
        match = new Caller(key.name(), key.role());
      }
    }
    return match;
  }

  private static byte[] sha256(String key) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is a required JDK algorithm", e);
    }
  }
}
