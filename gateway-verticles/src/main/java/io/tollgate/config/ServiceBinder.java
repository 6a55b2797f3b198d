package io.tollgate.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Binds {@code services:}: for each service its targets, resolved timeouts and pool size. */
final class ServiceBinder {

  private ServiceBinder() {
  }

  /** Every declared service by name, in declaration order (also those with errors, so routes can refer to them). */
  static Map<String, ServiceConfig> services(Fields root) {
    Map<String, ServiceConfig> services = new LinkedHashMap<>();
    ConfigNode node = root.get("services");
    if (node != null) {
      node.entries().forEach((name, service) -> services.put(name, service(name, service)));
    }
    return services;
  }

  /** The {@code timeouts:} section of a service or route; absent fields are {@code null}. */
  static TimeoutsConfig timeouts(Fields owner) {
    Fields f = owner.section("timeouts", "connect", "response");
    return new TimeoutsConfig(f.positiveDuration("connect", null), f.positiveDuration("response", null));
  }

  private static ServiceConfig service(String name, ConfigNode node) {
    if (!Syntax.isName(name)) {
      node.error("invalid service name (" + Syntax.NAME_RULE + ")");
    }
    Fields f = node.fields("targets", "timeouts", "maxConnectionsPerTarget");
    return new ServiceConfig(
        name,
        targets(f),
        timeouts(f).orElse(TimeoutsConfig.DEFAULT),
        f.integer("maxConnectionsPerTarget", ServiceConfig.DEFAULT_MAX_CONNECTIONS_PER_TARGET, 1, Integer.MAX_VALUE));
  }

  private static List<TargetConfig> targets(Fields f) {
    ConfigNode node = f.required("targets");
    List<ConfigNode> items = node == null ? List.of() : node.list();
    if (items.isEmpty() && node != null && node.isSequence()) {
      node.error("at least one target is required");
    }
    List<TargetConfig> targets = new ArrayList<>();
    Map<String, String> seen = new HashMap<>();
    for (int i = 0; i < items.size(); i++) {
      ConfigNode item = items.get(i);
      // Long form {url: ...} leaves room for per-target settings; the short form is just the URL.
      ConfigNode url = item.isMapping() ? item.fields("url").required("url") : item;
      String text = url == null ? null : url.string();
      if (text == null) {
        continue;
      }
      try {
        TargetConfig target = TargetUrls.parse(text);
        String key = target.ssl() + target.host().toLowerCase(Locale.ROOT) + ":" + target.port() + target.basePath();
        String first = seen.putIfAbsent(key, "targets[" + i + "]");
        if (first != null) {
          url.error("duplicate target (same as " + first + ")");
        }
        targets.add(target);
      } catch (IllegalArgumentException e) {
        url.error(e.getMessage());
      }
    }
    return targets;
  }
}
