package io.tollgate.testkit.process;

import java.util.concurrent.TimeUnit;

/**
 * The child JVM that {@link JavaProcessTest} launches: prints its arguments and one environment variable, then
 * waits to be stopped — or exits with code 3 at once when its first argument is {@code exit}. Printing is its
 * whole job: its stdout and stderr are what {@link JavaProcess} captures.
 */
public final class ChildMain {

  private ChildMain() {}

  public static void main(String[] args) throws InterruptedException {
    if (args.length > 0 && args[0].equals("exit")) {
      System.out.println("leaving");
      System.exit(3);
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("stopping")));
    for (String arg : args) {
      System.out.println("arg:" + arg);
    }
    System.err.println("env:TOLLGATE_CHILD=" + System.getenv("TOLLGATE_CHILD"));
    System.out.println("ready");
    TimeUnit.MINUTES.sleep(5);
  }
}
