package io.tollgate.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The config control plane ({@code controlPlane:} in YAML). When present, services, routes, rate-limit policies,
 * consumers and API keys are managed through the Admin API, stored in Postgres and pushed to every node over the
 * config topic; the YAML file keeps only the node's own settings (listener, management, auth issuers, Redis,
 * tracing…). When absent, the YAML file is the whole config (file mode, the embedded default).
 *
 * @param postgres      the config store
 * @param kafka         bootstrap servers and extra client properties for the config topic
 * @param topic         default {@code tollgate.config.v1}; one partition (a total order of changes)
 * @param lastKnownGood file the applied config is written to (mode 0600); default {@code last-known-good.json}
 *                      in the working directory
 * @param pollInterval  how often a node compares its version with Postgres, the safety net behind the topic;
 *                      default 30 s
 * @param relay         the outbox relay
 * @param adminKeys     Admin API keys
 * @param adminJwt      Admin API bearer tokens of one of {@code auth.issuers}, roles mapped from its
 *                      {@code rolesClaim}; null when not configured
 * @param references    what managed documents may reference ({@code ${VAR}}, {@code ${file:…}}); nothing by default
 */
public record ControlPlaneConfig(
    PostgresConfig postgres,
    KafkaConfig kafka,
    String topic,
    Path lastKnownGood,
    Duration pollInterval,
    RelayConfig relay,
    List<AdminKeyConfig> adminKeys,
    AdminJwtConfig adminJwt,
    ReferencesConfig references) {

  public static final String DEFAULT_TOPIC = "tollgate.config.v1";

  public ControlPlaneConfig {
    adminKeys = List.copyOf(adminKeys);
  }

  /**
   * @param url      {@code postgresql://user@host:port/database}
   * @param password the password, normally {@code ${PG_PASSWORD}}; null for trust/peer authentication
   * @param poolSize connections per node for Admin API writes and reads; default 4
   */
  public record PostgresConfig(String url, String password, int poolSize) {

    /** Never prints the password. */
    @Override
    public String toString() {
      return "PostgresConfig[url=" + url + ", password=" + (password == null ? "none" : "***") + ", poolSize="
          + poolSize + "]";
    }
  }

  /**
   * @param bootstrapServers Kafka {@code host:port[,host:port…]}
   * @param properties       extra client properties (security, timeouts); the gateway's own cannot be overridden
   */
  public record KafkaConfig(String bootstrapServers, Map<String, String> properties) {

    public KafkaConfig {
      properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
    }

    /**
     * A client's properties: {@code defaults} (the configured properties override them), the brokers, then the
     * gateway's {@code own} (which nothing overrides). A new map each time.
     */
    public Map<String, String> clientProperties(Map<String, String> defaults, Map<String, String> own) {
      Map<String, String> props = new java.util.HashMap<>(defaults);
      props.putAll(properties);
      props.put("bootstrap.servers", bootstrapServers);
      props.putAll(own);
      return props;
    }
  }

  /**
   * @param enabled  whether this node takes part in relaying (one node at a time relays, under a Postgres advisory
   *                 lock); default {@code true}
   * @param interval how often the relay checks the outbox besides the notification each write sends; default 1 s
   */
  public record RelayConfig(boolean enabled, Duration interval) {
  }

  /**
   * Admin API access with tokens of an identity provider the node already trusts ({@code auth.issuers}).
   *
   * @param issuer        the issuer's {@code name}
   * @param readWriteRole role (in the issuer's {@code rolesClaim}) granting read-write; default {@code tollgate-admin}
   * @param readOnlyRole  role granting read-only; default {@code tollgate-viewer}
   */
  public record AdminJwtConfig(String issuer, String readWriteRole, String readOnlyRole) {
  }

  /**
   * The only references managed documents may contain: Admin API users must not be able to read a node's environment
   * or file system (the admin key, the database password) through a route or service they write.
   *
   * @param env   environment variables, by name; default none
   * @param files a directory whose files may be referenced as {@code ${file:<dir>/<name>}}; default none
   */
  public record ReferencesConfig(java.util.Set<String> env, Path files) {

    public static final ReferencesConfig NONE = new ReferencesConfig(java.util.Set.of(), null);

    public ReferencesConfig {
      env = java.util.Set.copyOf(env);
    }

    /** Why {@code expression} (the text inside {@code ${…}}) may not be used, or null when it may. */
    public String refusal(String expression) {
      if (expression.startsWith("file:")) {
        Path path;
        try {
          path = Path.of(expression.substring(5)).normalize();
        } catch (java.nio.file.InvalidPathException e) {
          return "invalid file reference";
        }
        return files != null && path.isAbsolute() && path.startsWith(files) && !path.equals(files) ? null
            : "file references must name a file in controlPlane.references.files"
                + (files == null ? " (not configured)" : " (" + files + ")");
      }
      int colon = expression.indexOf(':');
      String name = colon < 0 ? expression : expression.substring(0, colon);
      return env.contains(name) ? null
          : "variable " + name + " is not listed in controlPlane.references.env, so managed config cannot use it";
    }
  }

  /** Admin API roles. */
  public enum AdminRole {
    /** GET only. */
    READ_ONLY,
    /** Everything. */
    READ_WRITE;

    public String configName() {
      return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
  }

  /**
   * An Admin API credential, sent as {@code Authorization: Bearer <key>}.
   *
   * @param name who (recorded as the actor in the audit log)
   * @param hash {@code sha256:<64 hex>} of the key; or null when {@code key} is given
   * @param key  the key itself, normally {@code ${TOLLGATE_ADMIN_KEY}}; hashed at load and never kept; or null
   * @param role {@code read-only} or {@code read-write}
   */
  public record AdminKeyConfig(String name, String hash, AdminRole role) {

    @Override
    public String toString() {
      return "AdminKeyConfig[name=" + name + ", role=" + role.configName() + "]";
    }
  }
}
