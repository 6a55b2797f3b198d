package io.tollgate.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.config.KubernetesDiscoveryConfig;
import io.tollgate.config.TargetConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How the EndpointSlices of a Service become its targets: ports, address types, conditions, the serving fallback. */
class EndpointSliceTargetsTest {

  @Test
  void readyEndpointsOfAllSlicesAreTheTargetsAndAMissingConditionMeansReady() {
    List<String> targets = addresses(config("http"),
        slice("a", "IPv4", ports("http", 8080), endpoint("10.0.0.2", true, null), endpoint("10.0.0.1", null, null)),
        slice("b", "IPv4", ports("http", 8080), endpoint("10.0.0.3", false, false), endpoint("10.0.0.1", true, true)));
    assertThat(targets).containsExactly("10.0.0.1:8080", "10.0.0.2:8080");
  }

  @Test
  void aNamedPortIsResolvedPerSliceAndASliceWithoutItIsSkipped() {
    EndpointSliceTargets.Result result = EndpointSliceTargets.targets(config("http"), List.of(
        slice("old", "IPv4", ports("http", 8080), endpoint("10.0.0.1", true, true)),
        slice("new", "IPv4", ports("http", 9090), endpoint("10.0.0.2", true, true)),
        slice("other", "IPv4", ports("grpc", 7070), endpoint("10.0.0.3", true, true))));
    assertThat(result.targets().stream().map(TargetConfig::address))
        .containsExactly("10.0.0.1:8080", "10.0.0.2:9090");
    assertThat(result.skipped()).containsExactly("other: no port http");
  }

  @Test
  void withoutAPortTheSlicesOnlyPortIsUsedAndSeveralPortsAreAnError() {
    JsonArray two = ports("http", 8080).add(new JsonObject().put("name", "metrics").put("port", 9090));
    EndpointSliceTargets.Result result = EndpointSliceTargets.targets(config(null), List.of(
        slice("one", "IPv4", ports(null, 8080), endpoint("10.0.0.1", true, true)),
        slice("two", "IPv4", two, endpoint("10.0.0.2", true, true))));
    assertThat(result.targets().stream().map(TargetConfig::address)).containsExactly("10.0.0.1:8080");
    assertThat(result.skipped()).containsExactly("two: not exactly one port (set discovery.kubernetes.port)");
    assertThat(addresses(config("8443"), slice("two", "IPv4", two, endpoint("10.0.0.2", true, true))))
        .as("a port number is used as it is").containsExactly("10.0.0.2:8443");
  }

  @Test
  void ipv6SlicesAreUsedAndFqdnSlicesSkipped() {
    assertThat(addresses(config("http"),
        slice("v6", "IPv6", ports("http", 80), endpoint("fd00::7", true, true)),
        slice("names", "FQDN", ports("http", 80), endpoint("pod.example.com", true, true))))
        .as("canonical, as DNS answers").containsExactly("[fd00:0:0:0:0:0:0:7]:80");
  }

  @Test
  void withNoReadyEndpointServingTerminatingOnesAreUsed() {
    JsonObject terminating = endpoint("10.0.0.1", false, true).put("conditions",
        new JsonObject().put("ready", false).put("serving", true).put("terminating", true));
    assertThat(addresses(config("http"),
        slice("a", "IPv4", ports("http", 80), terminating, endpoint("10.0.0.2", false, false))))
        .containsExactly("10.0.0.1:80");
    assertThat(addresses(config("http"),
        slice("a", "IPv4", ports("http", 80), terminating, endpoint("10.0.0.3", true, true))))
        .as("a ready endpoint wins over every terminating one").containsExactly("10.0.0.3:80");
    assertThat(addresses(config("http"), slice("a", "IPv4", ports("http", 80), endpoint("10.0.0.2", false, null))))
        .as("not ready, serving unknown: not used").isEmpty();
  }

  private static KubernetesDiscoveryConfig config(String port) {
    return new KubernetesDiscoveryConfig("shop", "orders", port, "https://k", "", "", false, "",
        Duration.ofSeconds(10));
  }

  private static List<String> addresses(KubernetesDiscoveryConfig config, JsonObject... slices) {
    return EndpointSliceTargets.targets(config, List.of(slices)).targets().stream().map(TargetConfig::address)
        .toList();
  }

  private static JsonObject slice(String name, String type, JsonArray ports, JsonObject... endpoints) {
    return new JsonObject().put("metadata", new JsonObject().put("name", name)).put("addressType", type)
        .put("ports", ports).put("endpoints", new JsonArray(List.of((Object[]) endpoints)));
  }

  private static JsonArray ports(String name, int port) {
    JsonObject p = new JsonObject().put("port", port).put("protocol", "TCP");
    return new JsonArray().add(name == null ? p : p.put("name", name));
  }

  private static JsonObject endpoint(String ip, Boolean ready, Boolean serving) {
    JsonObject conditions = new JsonObject();
    if (ready != null) {
      conditions.put("ready", ready);
    }
    if (serving != null) {
      conditions.put("serving", serving);
    }
    return new JsonObject().put("addresses", new JsonArray().add(ip)).put("conditions", conditions);
  }
}
