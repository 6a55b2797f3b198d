package io.tollgate.testkit.peers;

import io.vertx.core.buffer.Buffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The byte sequence {@link Behaviour#streamBytes(long)} sends, so a test can verify a large download without
 * holding it: byte {@code i} of the stream is {@code i % 251}.
 *
 * <p>251 is prime and does not divide the 64 KiB chunk size, so a chunk that is dropped, repeated or
 * reordered by a proxy changes the SHA-256. Stateless and thread-safe.
 */
public final class DeterministicBytes {

  /** Size of the chunks the peer writes: 64 KiB. */
  public static final int CHUNK_SIZE = 64 * 1024;

  private static final int PERIOD = 251;
  private static final byte[] PATTERN = pattern(CHUNK_SIZE + PERIOD);

  private DeterministicBytes() {}

  /** The byte at {@code position} of the stream. */
  public static byte at(long position) {
    return (byte) (position % PERIOD);
  }

  /** A fresh buffer holding bytes {@code [offset, offset + length)} of the stream. */
  public static Buffer slice(long offset, int length) {
    return Buffer.buffer(bytes(offset, length));
  }

  /** Lower-case hex SHA-256 of the first {@code length} bytes of the stream; computed in constant memory. */
  public static String sha256(long length) {
    MessageDigest digest = newSha256();
    for (long offset = 0; offset < length; offset += CHUNK_SIZE) {
      digest.update(bytes(offset, (int) Math.min(CHUNK_SIZE, length - offset)));
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK ships SHA-256", e);
    }
  }

  private static byte[] bytes(long offset, int length) {
    byte[] out = new byte[length];
    int filled = 0;
    while (filled < length) {
      int start = (int) ((offset + filled) % PERIOD);
      int count = Math.min(length - filled, PATTERN.length - start);
      System.arraycopy(PATTERN, start, out, filled, count);
      filled += count;
    }
    return out;
  }

  private static byte[] pattern(int length) {
    byte[] pattern = new byte[length];
    for (int i = 0; i < length; i++) {
      pattern[i] = at(i);
    }
    return pattern;
  }
}
