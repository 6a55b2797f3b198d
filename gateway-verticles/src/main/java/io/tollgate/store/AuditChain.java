package io.tollgate.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The audit log's hash chain: {@code hash = sha256(prevHash + "\n" + entry)}, the first entry chained to
 * {@link #GENESIS}. Editing an entry breaks its own hash; editing a hash too breaks the next entry's link;
 * deleting the newest entries is caught by comparing the tip with the hash the version row keeps
 * ({@code tollgate_config_version} is written in the same transaction).
 */
public final class AuditChain {

  public static final String GENESIS = "0".repeat(64);

  private AuditChain() {
  }

  public static String hash(String prevHash, String entry) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(prevHash.getBytes(StandardCharsets.US_ASCII));
      sha.update((byte) '\n');
      return HexFormat.of().formatHex(sha.digest(entry.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is a required JDK algorithm", e);
    }
  }

  /** One stored row, as read back for verification. */
  public record Row(long seq, String entry, String prevHash, String hash) {
  }

  /**
   * The first broken row, or null when the chain holds.
   *
   * @param rows    every row in {@code seq} order
   * @param tipHash the hash the version row recorded with the last write (null: not checked)
   */
  public static String verify(Iterable<Row> rows, String tipHash) {
    String prev = GENESIS;
    long count = 0;
    for (Row row : rows) {
      count++;
      if (!row.prevHash().equals(prev)) {
        return "entry " + row.seq() + ": not linked to the entry before it (an entry was removed or re-hashed)";
      }
      if (!hash(row.prevHash(), row.entry()).equals(row.hash())) {
        return "entry " + row.seq() + ": its content does not match its hash (edited)";
      }
      prev = row.hash();
    }
    if (tipHash != null && !tipHash.equals(count == 0 ? GENESIS : prev)) {
      return "the newest entry is not the one the last write recorded (entries were removed from the end)";
    }
    return null;
  }
}
