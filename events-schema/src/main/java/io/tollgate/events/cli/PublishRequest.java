package io.tollgate.events.cli;

import io.tollgate.events.Topics;
import io.tollgate.events.ownership.InvalidFieldException;
import io.tollgate.events.ownership.OwnershipAssigned;
import io.tollgate.events.ownership.OwnershipEvent;
import io.tollgate.events.ownership.OwnershipRevoked;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The {@code publish-ownership} command line, parsed: what to publish and where.
 *
 * @param version null: the publish time in epoch milliseconds, so that a later publish wins
 */
record PublishRequest(String bootstrapServers, String topic, String resourceType, String resourceId, String ownerId,
    String tenantId, Long version, String producer, boolean revoke, Duration timeout) {

  static final String COMMAND = "publish-ownership";
  static final String DEFAULT_PRODUCER = "publish-ownership-cli";
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
  private static final Set<String> VALUED_OPTIONS = Set.of("bootstrap", "resource", "owner", "tenant", "version",
      "producer", "topic", "timeout-seconds");

  static final String USAGE = """
      Usage: java -jar tollgate-events.jar publish-ownership --bootstrap HOST:PORT --resource TYPE:ID
               (--owner OWNER [--tenant TENANT] | --revoke [--owner OWNER])
               [--version N] [--producer NAME] [--topic TOPIC] [--timeout-seconds S]

      Publishes one OwnershipAssigned.v1 event (with --revoke: OwnershipRevoked.v1) keyed TYPE:ID to the
      compacted ownership topic, waits for the broker's acknowledgement and prints where it was written.

        --bootstrap HOST:PORT  Kafka bootstrap servers (comma-separated)
        --resource TYPE:ID     e.g. monitor:101; TYPE lower-case, neither part may contain more ':'
        --owner OWNER          the owner's subject (required unless --revoke; with --revoke: who lost it)
        --tenant TENANT        the owner's tenant (not with --revoke)
        --revoke               publish OwnershipRevoked: nobody owns the resource any more
        --version N            per-key version, >= 1; the highest version of a key wins. Default: now in epoch
                               milliseconds, so a later publish wins. If the owning service numbers its own
                               versions (e.g. 1, 2, 3), use its scheme: a clock-based version would outrank all
                               its later events.
        --producer NAME        recorded in the event for audit (default: publish-ownership-cli)
        --topic TOPIC          default: tollgate.ownership.v1
        --timeout-seconds S    give up when the broker has not acknowledged within S seconds (default: 10)

      Exit status: 0 published, 1 not published (broker unreachable, topic missing, refused), 2 bad arguments.
      """;

  /**
   * Parses {@code publish-ownership} and its options ({@code --name value} or {@code --name=value}).
   *
   * @throws UsageException when an option is unknown, missing, repeated or malformed
   */
  static PublishRequest parse(String... args) throws UsageException {
    if (args.length == 0 || !args[0].equals(COMMAND)) {
      throw new UsageException(args.length == 0 ? "no command given" : "unknown command: " + args[0]);
    }
    Map<String, String> options = options(args);
    String resource = required(options, "resource");
    int colon = resource.indexOf(':');
    if (colon <= 0 || colon == resource.length() - 1) {
      throw new UsageException("--resource must be TYPE:ID, e.g. monitor:101, was: " + resource);
    }
    boolean revoke = options.containsKey("revoke");
    if (revoke && options.containsKey("tenant")) {
      throw new UsageException("--tenant cannot be combined with --revoke (OwnershipRevoked has no tenant)");
    }
    PublishRequest request = new PublishRequest(required(options, "bootstrap"),
        options.getOrDefault("topic", Topics.OWNERSHIP), resource.substring(0, colon), resource.substring(colon + 1),
        revoke ? options.get("owner") : required(options, "owner"), options.get("tenant"),
        options.containsKey("version") ? number(options, "version") : null,
        options.getOrDefault("producer", DEFAULT_PRODUCER), revoke,
        options.containsKey("timeout-seconds") ? Duration.ofSeconds(number(options, "timeout-seconds"))
            : DEFAULT_TIMEOUT);
    request.event(Instant.now()); // the event's own rules (':' in an id, version >= 1, ...) as usage errors
    return request;
  }

  /**
   * The event to publish, {@code now} as its time (and version, unless one was given).
   *
   * @throws UsageException when a value breaks the event's schema
   */
  OwnershipEvent event(Instant now) throws UsageException {
    long effectiveVersion = version != null ? version : now.toEpochMilli();
    try {
      return revoke
          ? new OwnershipRevoked(resourceType, resourceId, ownerId, effectiveVersion, now, producer)
          : new OwnershipAssigned(resourceType, resourceId, ownerId, tenantId, effectiveVersion, now, producer);
    } catch (InvalidFieldException e) {
      throw new UsageException("invalid " + e.getMessage());
    }
  }

  private static Map<String, String> options(String[] args) throws UsageException {
    Map<String, String> options = new HashMap<>();
    for (int i = 1; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--")) {
        throw new UsageException("unexpected argument: " + arg);
      }
      int equals = arg.indexOf('=');
      String name = arg.substring(2, equals < 0 ? arg.length() : equals);
      String value;
      if (name.equals("revoke")) {
        if (equals >= 0) {
          throw new UsageException("--revoke takes no value");
        }
        value = "";
      } else if (!VALUED_OPTIONS.contains(name)) {
        throw new UsageException("unknown option: --" + name);
      } else if (equals >= 0) {
        value = arg.substring(equals + 1);
      } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
        value = args[++i];
      } else {
        throw new UsageException("--" + name + " needs a value");
      }
      if (options.put(name, value) != null) {
        throw new UsageException("--" + name + " given more than once");
      }
    }
    return options;
  }

  private static String required(Map<String, String> options, String name) throws UsageException {
    String value = options.get(name);
    if (value == null || value.isBlank()) {
      throw new UsageException("--" + name + " is required");
    }
    return value;
  }

  private static long number(Map<String, String> options, String name) throws UsageException {
    String value = options.get(name);
    try {
      long number = Long.parseLong(value);
      if (number < 1) {
        throw new UsageException("--" + name + " must be at least 1, was: " + value);
      }
      return number;
    } catch (NumberFormatException e) {
      throw new UsageException("--" + name + " must be a whole number, was: " + value);
    }
  }
}
