package io.tollgate.admin;

import io.tollgate.config.ControlPlaneConfig.AdminKeyConfig;
import io.tollgate.config.ControlPlaneConfig.AdminRole;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Admin API authentication: {@code Authorization: Bearer <admin key>}, compared by SHA-256 digest in constant time
 * with every configured key (no early exit, so timing does not reveal which key nearly matched).
 */
final class AdminAuth {

  /** Who is calling, and what they may do. */
  record Caller(String name, AdminRole role) {

    boolean mayWrite() {
      return role == AdminRole.READ_WRITE;
    }
  }

  private final List<AdminKeyConfig> keys;

  AdminAuth(List<AdminKeyConfig> keys) {
    this.keys = List.copyOf(keys);
  }

  /** The caller of a request with this {@code Authorization} header, or null. */
  Caller authenticate(String authorization) {
    if (authorization == null || authorization.length() < 8
        || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    byte[] digest = sha256(authorization.substring(7).trim());
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
