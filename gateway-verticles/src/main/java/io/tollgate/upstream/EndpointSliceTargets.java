package io.tollgate.upstream;

import io.tollgate.config.KubernetesDiscoveryConfig;
import io.tollgate.config.TargetConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeMap;

/**
 * Turns the EndpointSlices of a Kubernetes Service into its target set, as kube-proxy and Envoy read them
 * ({@code discovery.k8s.io/v1}). Pure.
 * <ul>
 *   <li>Slices of {@code addressType} {@code IPv4} and {@code IPv6} are used; {@code FQDN} slices are skipped.</li>
 *   <li>The port: with {@code port} a name, the slice's port of that name (ports may differ between slices, so it
 *       is resolved per slice; a slice without it is skipped); with a number, that number; without {@code port}, the
 *       slice's only port (a slice with several is skipped: the config must say which).</li>
 *   <li>An endpoint's first address is used (the API: "clients may choose to only use the first element").</li>
 *   <li>An endpoint is ready unless {@code conditions.ready} is {@code false} (a missing condition means ready).
 *       Ready endpoints of all slices are the targets. Only when there is none, endpoints that are not ready but
 *       still {@code serving} (terminating pods that still accept requests) are used instead — the terminating
 *       fallback of kube-proxy (KEP-1669) and Envoy.</li>
 * </ul>
 */
final class EndpointSliceTargets {

  /** The targets (sorted by address, deduplicated) and why slices were skipped (for the status page). */
  record Result(List<TargetConfig> targets, List<String> skipped) {
  }

  private EndpointSliceTargets() {
  }

  static Result targets(KubernetesDiscoveryConfig config, Collection<JsonObject> slices) {
    TreeMap<String, TargetConfig> ready = new TreeMap<>();
    TreeMap<String, TargetConfig> serving = new TreeMap<>();
    List<String> skipped = new ArrayList<>();
    for (JsonObject slice : slices) {
      String name = slice.getJsonObject("metadata", new JsonObject()).getString("name", "?");
      String type = slice.getString("addressType", "");
      if (!type.equals("IPv4") && !type.equals("IPv6")) {
        skipped.add(name + ": addressType " + type);
        continue;
      }
      Integer port = port(config.port(), slice.getJsonArray("ports", new JsonArray()));
      if (port == null) {
        skipped.add(name + (config.port() == null ? ": not exactly one port (set discovery.kubernetes.port)"
            : ": no port " + config.port()));
        continue;
      }
      for (Object item : slice.getJsonArray("endpoints", new JsonArray())) {
        if (item instanceof JsonObject endpoint) {
          add(config, endpoint, port, ready, serving);
        }
      }
    }
    return new Result(new ArrayList<>((ready.isEmpty() ? serving : ready).values()), skipped);
  }

  private static void add(KubernetesDiscoveryConfig config, JsonObject endpoint, int port,
      TreeMap<String, TargetConfig> ready, TreeMap<String, TargetConfig> serving) {
    JsonArray addresses = endpoint.getJsonArray("addresses", new JsonArray());
    String ip = addresses.isEmpty() || !(addresses.getValue(0) instanceof String s) ? null
        : DnsAnswers.canonical(s);
    if (ip == null) {
      return;
    }
    JsonObject conditions = endpoint.getJsonObject("conditions", new JsonObject());
    TargetConfig target = config.target(ip, port);
    if (!Boolean.FALSE.equals(conditions.getValue("ready"))) {
      ready.putIfAbsent(target.address(), target);
    } else if (Boolean.TRUE.equals(conditions.getValue("serving"))) {
      serving.putIfAbsent(target.address(), target);
    }
  }

  /** The slice's port for {@code wanted} (name, number or null = the only one); null when there is none. */
  static Integer port(String wanted, JsonArray ports) {
    if (wanted != null && wanted.matches("[0-9]+")) {
      return Integer.parseInt(wanted);
    }
    Integer found = null;
    int matching = 0;
    for (Object item : ports) {
      if (item instanceof JsonObject p && p.getValue("port") instanceof Number n
          && "TCP".equals(p.getString("protocol", "TCP"))
          && (wanted == null || wanted.equals(p.getString("name")))) {
        found = n.intValue();
        matching++;
      }
    }
    return matching == 1 ? found : null;
  }
}
