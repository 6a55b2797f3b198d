package io.tollgate.problem;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code X-Request-Id}: propagated when the client sends a sane one, generated otherwise, and returned on every
 * response (proxied or not) and in every problem body.
 *
 * <p>A client value is kept only if it is 1–128 characters of {@code [A-Za-z0-9._:-]}: anything else (log
 * injection, huge values) is replaced by a fresh id. Fresh ids are 32 lowercase hex digits (128 random bits,
 * the W3C trace-id shape, so tracing can adopt them later).
 */
public final class RequestIdHeader {

  public static final CharSequence NAME = HttpHeaders.createOptimized("X-Request-Id");
  private static final int MAX_LENGTH = 128;
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private RequestIdHeader() {
  }

  /** The client's id if acceptable, else a new one. */
  public static String of(HttpServerRequest request) {
    String given = request.headers().get(NAME);
    return given != null && isAcceptable(given) ? given : generate();
  }

  static boolean isAcceptable(String id) {
    int n = id.length();
    if (n == 0 || n > MAX_LENGTH) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = id.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '-' || c == '_' || c == '.' || c == ':';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** A new random 128-bit id as 32 hex digits. */
  public static String generate() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    char[] out = new char[32];
    writeHex(r.nextLong(), out, 0);
    writeHex(r.nextLong(), out, 16);
    return new String(out);
  }

  private static void writeHex(long v, char[] out, int at) {
    for (int i = 15; i >= 0; i--) {
      out[at + i] = HEX[(int) (v & 0xF)];
      v >>>= 4;
    }
  }
}
