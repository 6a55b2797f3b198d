package io.tollgate.websocket;

import io.vertx.core.buffer.Buffer;

/**
 * Incremental UTF-8 validation of one text message whose bytes arrive in fragments (RFC 6455 §8.1: invalid UTF-8
 * in a text message fails the connection with 1007). Vert.x and Netty only validate when Netty's protocol handler
 * is in the pipeline, which Vert.x does not use, so the relay checks text itself. The algorithm is the WHATWG
 * Encoding Standard's UTF-8 decoder, keeping only the validity state: no allocation, one pass per byte.
 *
 * <p>Not thread-safe: one instance per direction of one relay.
 */
final class Utf8Validator {

  private int needed;
  private int lower = 0x80;
  private int upper = 0xBF;

  /** Feeds a fragment; false as soon as the bytes so far cannot be the start of valid UTF-8. */
  boolean accept(Buffer bytes) {
    for (int i = 0, n = bytes.length(); i < n; i++) {
      if (!accept(bytes.getByte(i) & 0xFF)) {
        return false;
      }
    }
    return true;
  }

  /** Whether the message ends validly here (no sequence cut short); resets for the next message. */
  boolean endOfMessage() {
    boolean complete = needed == 0;
    reset();
    return complete;
  }

  void reset() {
    needed = 0;
    lower = 0x80;
    upper = 0xBF;
  }

  private boolean accept(int b) {
    if (needed == 0) {
      if (b <= 0x7F) {
        return true;
      } else if (b >= 0xC2 && b <= 0xDF) {
        needed = 1;
      } else if (b >= 0xE0 && b <= 0xEF) {
        lower = b == 0xE0 ? 0xA0 : 0x80; // no overlong 3-byte forms
        upper = b == 0xED ? 0x9F : 0xBF; // no surrogates
        needed = 2;
      } else if (b >= 0xF0 && b <= 0xF4) {
        lower = b == 0xF0 ? 0x90 : 0x80; // no overlong 4-byte forms
        upper = b == 0xF4 ? 0x8F : 0xBF; // nothing above U+10FFFF
        needed = 3;
      } else {
        return false;
      }
      return true;
    }
    if (b < lower || b > upper) {
      return false;
    }
    lower = 0x80;
    upper = 0xBF;
    needed--;
    return true;
  }
}
