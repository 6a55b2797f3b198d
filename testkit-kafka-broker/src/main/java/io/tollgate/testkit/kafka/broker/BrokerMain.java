package io.tollgate.testkit.kafka.broker;

import kafka.Kafka;
import kafka.tools.StorageTool;

/**
 * Main class of the test kit's broker JVM: {@code BrokerMain <server.properties> <cluster-id>}, the cluster id
 * as {@code kafka-storage.sh random-uuid} prints it ({@code Uuid.randomUuid()}).
 *
 * <p>Does what {@code kafka-storage.sh format --ignore-formatted} and {@code kafka-server-start.sh} do, in one
 * JVM: formatting in a JVM of its own costs ≈1.5 s more on a 2-core machine. {@code --ignore-formatted} leaves
 * a formatted log directory alone, so a restart keeps topics, records and committed offsets; Kafka 4 still
 * checks that its cluster id is the one given, so a restart must pass the same id.
 *
 * <p>The broker exits when the JVM that launched it exits, so a test JVM killed with SIGKILL (a Surefire
 * timeout, a developer's ^C) leaves no broker holding ports.
 */
public final class BrokerMain {

  private BrokerMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      throw new IllegalArgumentException("usage: BrokerMain <server.properties> <cluster-id>");
    }
    exitWithParent();
    format(args[0], args[1]);
    Kafka.main(new String[] {args[0]});
  }

  private static void format(String serverProperties, String clusterId) throws Exception {
    int status = StorageTool.execute(
        new String[] {"format", "--config", serverProperties, "--cluster-id", clusterId, "--ignore-formatted"},
        System.out);
    if (status != 0) {
      throw new IllegalStateException("kafka.tools.StorageTool format ended with status " + status);
    }
  }

  /** System.exit (running Kafka's shutdown hook) once the parent process is gone. */
  private static void exitWithParent() {
    ProcessHandle.current().parent().ifPresent(parent -> parent.onExit().thenRun(() -> System.exit(1)));
  }
}
