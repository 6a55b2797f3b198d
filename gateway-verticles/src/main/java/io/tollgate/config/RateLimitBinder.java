package io.tollgate.config;

import io.tollgate.config.LimitConfig.FailMode;
import io.tollgate.config.RateLimitingConfig.RedisConfig;
import io.tollgate.config.RouteLimitsConfig.Concurrency;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Binds the root {@code rateLimiting:} section and each route's {@code rateLimit:} and {@code concurrency:}. */
final class RateLimitBinder {

  private static final Pattern RATE = Pattern.compile("\\s*(\\d{1,12})\\s*/\\s*(\\S+)\\s*");
  private static final Map<String, Duration> RATE_UNITS = Map.of(
      "s", Duration.ofSeconds(1), "sec", Duration.ofSeconds(1), "second", Duration.ofSeconds(1),
      "m", Duration.ofMinutes(1), "min", Duration.ofMinutes(1), "minute", Duration.ofMinutes(1),
      "h", Duration.ofHours(1), "hour", Duration.ofHours(1), "d", Duration.ofDays(1), "day", Duration.ofDays(1));
  /** GCRA tolerance (burst × emission interval) stays exact in Lua's doubles and far from overflow: 100 years. */
  private static final long MAX_TOLERANCE_MICROS = 100L * 365 * 24 * 3600 * 1_000_000;
  private static final List<String> KEY_PARTS = List.of("ip", "sub", "tenant", "consumer", "route");
  private static final String KEY_RULE =
      "expected ip, sub, tenant, consumer, route, header:<name> or claim:<name>";

  private RateLimitBinder() {
  }

  /** The root {@code rateLimiting:} section; {@link RateLimitingConfig#NONE} when absent. */
  static RateLimitingConfig rateLimiting(Fields root) {
    if (root.get("rateLimiting") == null) {
      return RateLimitingConfig.NONE;
    }
    Fields f = root.section("rateLimiting", "redis", "expectedNodes", "headers", "tenantClaim", "policies");
    Map<String, List<LimitConfig>> policies = new LinkedHashMap<>();
    ConfigNode node = f.get("policies");
    if (node != null) {
      node.entries().forEach((name, limits) -> {
        if (!Syntax.isName(name)) {
          limits.error("invalid policy name (" + Syntax.NAME_RULE + ")");
        } else if (name.startsWith("route.")) {
          limits.error("policy names starting with 'route.' are reserved (they name routes' inline limits)");
        }
        policies.put(name, limits(limits));
      });
    }
    String tenantClaim = f.string("tenantClaim", RateLimitingConfig.NONE.tenantClaim());
    if (tenantClaim.isEmpty()) {
      f.error("tenantClaim", "must not be empty");
    }
    return new RateLimitingConfig(redis(f), f.integer("expectedNodes", 1, 1, 10_000), f.bool("headers", true),
        tenantClaim, policies);
  }

  /** A route's {@code rateLimit:}: a policy name, an inline list of limits, or absent ({@code null}). */
  static RouteLimitsConfig route(Fields route, RateLimitingConfig config) {
    ConfigNode node = route.get("rateLimit");
    if (node == null) {
      return null;
    }
    if (node.isSequence()) {
      List<LimitConfig> limits = limits(node);
      return limits.isEmpty() ? null : new RouteLimitsConfig(null, limits);
    }
    String name = node.string();
    if (name == null) {
      return null;
    }
    List<LimitConfig> limits = config.policies().get(name);
    if (limits == null) {
      String guess = Syntax.closest(name, config.policies().keySet(), 3);
      node.error("unknown rate-limit policy '" + name + "'" + (guess != null ? " (did you mean '" + guess + "'?)"
          : config.policies().isEmpty() ? " (rateLimiting.policies is empty)"
          : " (declared: " + String.join(", ", config.policies().keySet()) + ")"));
      return null;
    }
    return new RouteLimitsConfig(name, limits);
  }

  /** A route's {@code concurrency:}, or {@code null} when absent. */
  static Concurrency concurrency(Fields route) {
    if (route.get("concurrency") == null) {
      return null;
    }
    Fields f = route.section("concurrency", "max", "queue", "maxWait");
    f.required("max");
    return new Concurrency(f.integer("max", 1, 1, 1_000_000), f.integer("queue", 0, 0, 1_000_000),
        f.positiveDuration("maxWait", Duration.ofSeconds(1)));
  }

  private static RedisConfig redis(Fields rateLimiting) {
    if (rateLimiting.get("redis") == null) {
      return null;
    }
    Fields f = rateLimiting.section("redis", "url", "budget", "keyPrefix");
    ConfigNode urlNode = f.required("url");
    String url = urlNode == null ? null : urlNode.string();
    if (url != null) {
      String problem = redisUrlProblem(url);
      if (problem != null) {
        urlNode.error(problem);
      }
    }
    String prefix = f.string("keyPrefix", "tollgate:rl:");
    if (prefix.indexOf('{') >= 0 || prefix.indexOf('}') >= 0) {
      f.error("keyPrefix", "must not contain '{' or '}' (Tollgate chooses the Redis Cluster hash tag)");
    }
    Duration budget = f.positiveDuration("budget", Duration.ofMillis(10));
    if (budget.toMillis() < 1) {
      f.error("budget", "must be at least 1ms");
    }
    return new RedisConfig(url == null ? "redis://127.0.0.1:6379" : url, budget, prefix);
  }

  /** Never echoes the URL: it may carry a password. */
  private static String redisUrlProblem(String url) {
    try {
      URI uri = new URI(url);
      if (!"redis".equals(uri.getScheme()) && !"rediss".equals(uri.getScheme())) {
        return "must be a redis:// or rediss:// URL";
      }
      if (uri.getHost() == null || uri.getHost().isEmpty()) {
        return "must name a host, e.g. redis://127.0.0.1:6379";
      }
      return null;
    } catch (URISyntaxException e) {
      return "is not a valid URL (redis://[[user]:password@]host[:port][/db])";
    }
  }

  private static List<LimitConfig> limits(ConfigNode node) {
    List<LimitConfig> limits = new ArrayList<>();
    Map<String, String> firstPath = new HashMap<>();
    List<ConfigNode> items = node.list();
    if (items.isEmpty() && node.isSequence()) {
      node.error("must list at least one limit");
    }
    for (ConfigNode item : items) {
      LimitConfig limit = limit(item);
      if (limit == null) {
        continue;
      }
      String first = firstPath.putIfAbsent(limit.name(), item.path());
      if (first != null) {
        item.error("duplicate limit name '" + limit.name() + "' (first at " + first + ")");
      }
      limits.add(limit);
    }
    return limits;
  }

  /** One limit; {@code null} when its rate is missing or invalid (every other field is still checked). */
  private static LimitConfig limit(ConfigNode node) {
    Fields f = node.fields("name", "rate", "burst", "key", "failMode", "enforce");
    ConfigNode rateNode = f.required("rate");
    String rateText = rateNode == null ? null : rateNode.string();
    Matcher m = rateText == null ? null : RATE.matcher(rateText);
    // Every field is read before deciding, so one run reports all of a limit's errors.
    String defaultName = m != null && m.matches() ? m.group(1) + "-per-" + m.group(2) : "limit";
    String name = f.string("name", defaultName);
    if (!Syntax.isName(name)) {
      f.error("name", "invalid limit name '" + name + "' (" + Syntax.NAME_RULE + ")");
    }
    // A count of requests, not a size: f.size would accept "2KB" and word its errors in bytes.
    int burst = f.integer("burst", -1, 1, 1_000_000_000);
    List<String> key = key(f.get("key"));
    FailMode failMode = failMode(f.get("failMode"));
    boolean enforce = f.bool("enforce", true);
    if (m == null || !m.matches()) {
      if (rateText != null) {
        rateNode.error("expected '<requests>/<period>', e.g. 10/s, 1000/min, 5/10s; got '" + rateText + "'");
      }
      return null;
    }
    long requests = Long.parseLong(m.group(1));
    Duration period = period(m.group(2), rateNode);
    if (period == null) {
      return null;
    }
    if (requests < 1) {
      rateNode.error("must allow at least 1 request");
      return null;
    }
    if (period.toNanos() / 1_000 < requests) {
      rateNode.error("more than one request per microsecond cannot be limited");
      return null;
    }
    long effectiveBurst = burst < 0 ? requests : burst;
    long emissionMicros = (period.toNanos() / 1_000 + requests - 1) / requests;
    if (emissionMicros > MAX_TOLERANCE_MICROS / effectiveBurst) {
      f.error("burst", "burst × (period / requests) must stay under 100 years; got " + effectiveBurst + " × "
          + emissionMicros + " µs");
      return null;
    }
    return new LimitConfig(name, requests, period, burst < 0 ? requests : burst, key, failMode, enforce);
  }


  private static Duration period(String text, ConfigNode node) {
    Duration unit = RATE_UNITS.get(text.toLowerCase(Locale.ROOT));
    if (unit != null) {
      return unit;
    }
    try {
      Duration period = Units.parseDuration(text);
      if (period.isZero()) {
        node.error("the period must be greater than 0");
      } else if (period.compareTo(Duration.ofDays(36_500)) > 0) {
        node.error("the period must be at most 100 years");
      } else {
        return period;
      }
    } catch (IllegalArgumentException e) {
      node.error("unknown period '" + text + "' (expected s, min, h, day or a duration such as 10s)");
    }
    return null;
  }

  private static List<String> key(ConfigNode node) {
    if (node == null) {
      return List.of("ip");
    }
    List<ConfigNode> items = node.isSequence() ? node.list() : List.of(node);
    List<String> parts = new ArrayList<>();
    List<String> seen = new ArrayList<>();
    for (ConfigNode item : items) {
      String part = item.string();
      if (part == null) {
        continue;
      }
      String problem = keyPartProblem(part);
      // Header names are case-insensitive (RFC 9110 section 5.1): header:X-Tenant and header:x-tenant are one part.
      String same = part.startsWith("header:") ? part.toLowerCase(Locale.ROOT) : part;
      if (problem != null) {
        item.error(problem);
      } else if (seen.contains(same)) {
        item.error("'" + part + "' is listed twice");
      } else {
        seen.add(same);
        parts.add(part);
      }
    }
    if (items.isEmpty()) {
      node.error("must name at least one key part (" + KEY_RULE + ")");
    }
    return parts.isEmpty() ? List.of("ip") : parts;
  }

  private static String keyPartProblem(String part) {
    if (KEY_PARTS.contains(part)) {
      return null;
    }
    if (part.startsWith("header:")) {
      return Syntax.isToken(part.substring(7)) ? null : "invalid header name in '" + part + "'";
    }
    if (part.startsWith("claim:")) {
      return part.length() > 6 ? null : "'claim:' needs a claim name";
    }
    return "unknown key part '" + part + "' (" + KEY_RULE + ")";
  }

  private static FailMode failMode(ConfigNode node) {
    String text = node == null ? null : node.string();
    if (text == null) {
      return FailMode.LOCAL;
    }
    for (FailMode mode : FailMode.values()) {
      if (mode.text().equals(text)) {
        return mode;
      }
    }
    node.error("expected 'local', 'fail-open' or 'fail-closed', got '" + text + "'");
    return FailMode.LOCAL;
  }
}
