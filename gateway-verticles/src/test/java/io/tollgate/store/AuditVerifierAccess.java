package io.tollgate.store;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.Map;

/** Runs {@link AuditVerifier} in-process for tests outside its package. */
public final class AuditVerifierAccess {

  private AuditVerifierAccess() {
  }

  public static int run(String url, String password, ByteArrayOutputStream out) {
    PrintStream print = new PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8);
    return AuditVerifier.run(new String[] {url}, Map.of("PGPASSWORD", password), print, print);
  }
}
