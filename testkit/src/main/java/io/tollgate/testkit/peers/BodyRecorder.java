package io.tollgate.testkit.peers;

import io.vertx.core.buffer.Buffer;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Counts and hashes a body as it streams in, keeping the bytes only while they fit in
 * {@link RecordedRequest#MAX_KEPT_BODY_BYTES}. Confined to one event loop.
 */
final class BodyRecorder {

  private final MessageDigest sha256 = DeterministicBytes.newSha256();
  private Buffer kept = Buffer.buffer();
  private long bytes;

  void append(Buffer chunk) {
    bytes += chunk.length();
    sha256.update(chunk.getBytes());
    if (kept != null && bytes <= RecordedRequest.MAX_KEPT_BODY_BYTES) {
      kept.appendBuffer(chunk);
    } else {
      kept = null;
    }
  }

  long bytes() {
    return bytes;
  }

  /** Digest of everything appended; call once, at the end. */
  String sha256Hex() {
    return HexFormat.of().formatHex(sha256.digest());
  }

  /** The body, or {@code null} when it outgrew the limit. */
  Buffer keptOrNull() {
    return kept;
  }
}
