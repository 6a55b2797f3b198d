package io.tollgate.websocket;

/**
 * WebSocket close status codes (RFC 6455 §7.4): which may be sent on, and their bounded metric labels.
 */
final class CloseCodes {

  static final short NORMAL = 1000;
  static final short GOING_AWAY = 1001;
  static final short INVALID_PAYLOAD = 1007;
  static final short MESSAGE_TOO_BIG = 1009;
  /** "No status received": a close frame without a code. Never on the wire (§7.4.1). */
  static final short NO_STATUS = 1005;
  /** "Abnormal closure": the connection ended without a close frame. Never on the wire. */
  static final short ABNORMAL = 1006;
  static final short TLS_FAILURE = 1015;

  private CloseCodes() {
  }

  /**
   * The code to send to the other peer for a close received with {@code code}. Codes that must not be sent (1005,
   * 1006, 1015) cannot be relayed as such: no code becomes 1000 (the close was orderly), a lost connection 1001.
   */
  static short relayable(Short code) {
    if (code == null || code == ABNORMAL || code == TLS_FAILURE) {
      return GOING_AWAY;
    }
    return code == NO_STATUS ? NORMAL : code;
  }

  /**
   * A bounded label for {@code code}: the registered codes 1000–1015 as numbers, {@code 3xxx} (registered by
   * libraries), {@code 4xxx} (private use) and {@code other}.
   */
  static String label(Short code) {
    int c = code == null ? ABNORMAL : code;
    if (c >= 1000 && c <= 1015) {
      return Integer.toString(c);
    }
    if (c >= 3000 && c <= 3999) {
      return "3xxx";
    }
    return c >= 4000 && c <= 4999 ? "4xxx" : "other";
  }
}
