package io.tollgate.store;

import io.tollgate.config.ControlPlaneConfig.PostgresConfig;
import io.vertx.core.Vertx;
import java.io.PrintStream;
import java.util.Map;

/**
 * The audit log's verification command:
 * {@code java -cp tollgate.jar io.tollgate.store.AuditVerifier postgresql://user@host:port/db} (password from
 * {@code PGPASSWORD}). Reads the whole chain in one transaction and checks every link and the tip recorded with the
 * last write.
 *
 * <p>Exit codes: 0 intact, 1 tampered (the first break is printed), 2 usage or the store could not be read.
 */
public final class AuditVerifier {

  private AuditVerifier() {
  }

  public static void main(String[] args) {
    System.exit(run(args, System.getenv(), System.out, System.err));
  }

  static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    if (args.length != 1 || !args[0].startsWith("postgres")) {
      err.println("usage: AuditVerifier postgresql://user@host:port/database   (password from PGPASSWORD)");
      return 2;
    }
    Vertx vertx = Vertx.vertx();
    PgConfigStore store = PgConfigStore.create(vertx, new PostgresConfig(args[0], env.get("PGPASSWORD"), 1));
    try {
      String problem = store.verifyAudit().await();
      if (problem == null) {
        out.println("audit log intact");
        return 0;
      }
      out.println("audit log TAMPERED: " + problem);
      return 1;
    } catch (RuntimeException e) {
      err.println("cannot read the audit log: " + e.getMessage());
      return 2;
    } finally {
      store.close();
      vertx.close();
    }
  }
}
