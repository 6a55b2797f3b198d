package io.tollgate.config;

import io.tollgate.config.ControlPlaneConfig.AdminKeyConfig;
import io.tollgate.config.ControlPlaneConfig.AdminRole;
import io.tollgate.config.ControlPlaneConfig.KafkaConfig;
import io.tollgate.config.ControlPlaneConfig.PostgresConfig;
import io.tollgate.config.ControlPlaneConfig.RelayConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Binds the root {@code controlPlane:} section. */
final class ControlPlaneBinder {

  /** The sections the control plane manages: a file with {@code controlPlane:} must leave them to the Admin API. */
  static final List<String> MANAGED = List.of("services", "routes", "rateLimiting.policies", "auth.apiKeys.keys");

  private static final Pattern SHA256 = Pattern.compile("sha256:[0-9a-f]{64}");
  private static final Pattern PG_URL = Pattern.compile("postgres(ql)?://[^\\s/]+(:\\d{1,5})?/[^\\s/?]+(\\?\\S*)?");
  private static final int MIN_KEY_LENGTH = 24;
  private static final List<String> RESERVED = List.of(
      "group.id", "enable.auto.commit", "auto.offset.reset", "key.deserializer", "value.deserializer",
      "key.serializer", "value.serializer", "bootstrap.servers", "enable.idempotence", "acks");

  private ControlPlaneBinder() {
  }

  /** The section, or {@code null} when absent (file mode). */
  static ControlPlaneConfig controlPlane(Fields root, AuthConfig auth) {
    if (root.get("controlPlane") == null) {
      return null;
    }
    Fields f = root.section("controlPlane", "postgres", "kafka", "topic", "lastKnownGood", "pollInterval", "relay",
        "adminKeys", "adminJwt", "references");
    String topic = KafkaBinder.topic(f, ControlPlaneConfig.DEFAULT_TOPIC);
    Fields relay = f.section("relay", "enabled", "interval");
    return new ControlPlaneConfig(postgres(f), kafka(f), topic, lastKnownGood(f),
        f.positiveDuration("pollInterval", Duration.ofSeconds(30)),
        new RelayConfig(relay.bool("enabled", true), relay.positiveDuration("interval", Duration.ofSeconds(1))),
        adminKeys(f), adminJwt(f, auth), references(f));
  }

  private static ControlPlaneConfig.ReferencesConfig references(Fields f) {
    if (f.get("references") == null) {
      return ControlPlaneConfig.ReferencesConfig.NONE;
    }
    Fields refs = f.section("references", "env", "files");
    java.util.Set<String> env = new java.util.LinkedHashSet<>();
    ConfigNode list = refs.get("env");
    for (ConfigNode item : list == null ? List.<ConfigNode>of() : list.list()) {
      String name = item.string();
      if (name != null && !name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
        item.error("invalid environment variable name '" + name + "'");
      } else if (name != null) {
        env.add(name);
      }
    }
    String dir = refs.string("files", null);
    Path files = null;
    if (dir != null) {
      try {
        files = Path.of(dir).normalize();
        if (!files.isAbsolute() || files.getNameCount() == 0) {
          refs.error("files", "must be an absolute directory other than /");
        }
      } catch (InvalidPathException e) {
        refs.error("files", "invalid path: " + e.getReason());
      }
    }
    return new ControlPlaneConfig.ReferencesConfig(env, files);
  }

  private static ControlPlaneConfig.AdminJwtConfig adminJwt(Fields f, AuthConfig auth) {
    if (f.get("adminJwt") == null) {
      return null;
    }
    Fields jwt = f.section("adminJwt", "issuer", "readWriteRole", "readOnlyRole");
    ConfigNode issuerNode = jwt.required("issuer");
    String issuer = issuerNode == null ? null : issuerNode.string();
    if (issuer != null && auth.issuers().stream().noneMatch(i -> i.name().equals(issuer))) {
      issuerNode.error("unknown issuer '" + issuer + "' (declare it in auth.issuers)");
    }
    return new ControlPlaneConfig.AdminJwtConfig(issuer, jwt.string("readWriteRole", "tollgate-admin"),
        jwt.string("readOnlyRole", "tollgate-viewer"));
  }

  private static PostgresConfig postgres(Fields f) {
    Fields pg = f.section("postgres", "url", "password", "poolSize");
    if (f.get("postgres") == null) {
      f.error("postgres", "required: the config store (postgres.url)");
    }
    ConfigNode urlNode = pg.required("url");
    String url = urlNode == null ? null : urlNode.string();
    if (url != null && !PG_URL.matcher(url).matches()) {
      urlNode.error("expected postgresql://user@host:port/database, got '" + url.replaceAll(":[^:@/]*@", ":***@") + "'");
    } else if (url != null && url.matches("postgres(ql)?://[^/@]*:[^/@]*@.*")) {
      urlNode.error("put the password in postgres.password (a ${VAR} reference), not in the URL");
    }
    return new PostgresConfig(url, pg.string("password", null), pg.integer("poolSize", 4, 1, 64));
  }

  private static KafkaConfig kafka(Fields f) {
    if (f.get("kafka") == null) {
      f.error("kafka", "required: the config topic's brokers (kafka.bootstrapServers)");
    }
    Fields kafka = f.section("kafka", "bootstrapServers", "properties");
    return new KafkaConfig(KafkaBinder.bootstrapServers(kafka), KafkaBinder.properties(kafka, RESERVED));
  }

  private static Path lastKnownGood(Fields f) {
    String text = f.string("lastKnownGood", "last-known-good.json");
    try {
      return Path.of(text);
    } catch (InvalidPathException e) {
      f.error("lastKnownGood", "invalid path: " + e.getReason());
      return Path.of("last-known-good.json");
    }
  }

  private static List<AdminKeyConfig> adminKeys(Fields f) {
    List<AdminKeyConfig> keys = new ArrayList<>();
    ConfigNode list = f.get("adminKeys");
    Set<String> names = new HashSet<>();
    for (ConfigNode item : list == null ? List.<ConfigNode>of() : list.list()) {
      Fields k = item.fields("name", "key", "hash", "role");
      ConfigNode nameNode = k.required("name");
      String name = nameNode == null ? null : nameNode.string();
      if (name != null && !Syntax.isName(name)) {
        nameNode.error("invalid name '" + name + "' (" + Syntax.NAME_RULE + ")");
      } else if (name != null && !names.add(name)) {
        nameNode.error("duplicate admin key name '" + name + "'");
      }
      AdminRole role = k.enumValue("role", AdminRole.class, AdminRole.READ_ONLY);
      keys.add(new AdminKeyConfig(name, hash(k), role));
    }
    return keys;
  }

  /** Exactly one of {@code key} (hashed here; the key itself is not kept) and {@code hash}. */
  private static String hash(Fields k) {
    String key = k.string("key", null);
    String hash = k.string("hash", null);
    if ((key == null) == (hash == null)) {
      k.error("key", "give exactly one of key (e.g. ${TOLLGATE_ADMIN_KEY}) and hash (sha256:<64 hex>)");
      return null;
    }
    if (hash != null) {
      if (!SHA256.matcher(hash).matches()) {
        k.error("hash", "must be sha256:<64 lower-case hex digits>");
      }
      return hash;
    }
    if (key.length() < MIN_KEY_LENGTH) {
      k.error("key", "too short: an admin key needs at least " + MIN_KEY_LENGTH + " characters");
    }
    return sha256(key);
  }

  /** {@code sha256:<hex>} of a key's UTF-8 bytes. */
  static String sha256(String key) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return "sha256:" + HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is a required JDK algorithm", e);
    }
  }
}
