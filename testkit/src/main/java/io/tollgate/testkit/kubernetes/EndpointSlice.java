package io.tollgate.testkit.kubernetes;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Builds {@code discovery.k8s.io/v1} EndpointSlice objects as the EndpointSlice controller writes them: labelled
 * {@code kubernetes.io/service-name}, an {@code addressType}, named ports and endpoints with {@code conditions}.
 * A condition left null is omitted from the JSON (the API says: treat a missing {@code ready} as true).
 */
public final class EndpointSlice {

  private final JsonObject json;
  private final JsonArray endpoints = new JsonArray();
  private final JsonArray ports = new JsonArray();

  private EndpointSlice(String name, String service, String addressType) {
    json = new JsonObject()
        .put("kind", "EndpointSlice")
        .put("apiVersion", "discovery.k8s.io/v1")
        .put("metadata", new JsonObject().put("name", name)
            .put("labels", new JsonObject().put("kubernetes.io/service-name", service)
                .put("endpointslice.kubernetes.io/managed-by", "endpointslice-controller.k8s.io")))
        .put("addressType", addressType);
  }

  /** An IPv4 slice named {@code name} of the Service {@code service}. */
  public static EndpointSlice ipv4(String name, String service) {
    return new EndpointSlice(name, service, "IPv4");
  }

  /** An IPv6 slice. */
  public static EndpointSlice ipv6(String name, String service) {
    return new EndpointSlice(name, service, "IPv6");
  }

  /** A TCP port; {@code name} may be null (a Service with one unnamed port). */
  public EndpointSlice port(String name, int port) {
    JsonObject p = new JsonObject().put("port", port).put("protocol", "TCP");
    if (name != null) {
      p.put("name", name);
    }
    ports.add(p);
    return this;
  }

  /** A ready endpoint (conditions as the controller sets them for a running pod). */
  public EndpointSlice ready(String address) {
    return endpoint(address, true, true, false);
  }

  /** An endpoint with the given conditions; a null condition is left out. */
  public EndpointSlice endpoint(String address, Boolean ready, Boolean serving, Boolean terminating) {
    JsonObject conditions = new JsonObject();
    if (ready != null) {
      conditions.put("ready", ready);
    }
    if (serving != null) {
      conditions.put("serving", serving);
    }
    if (terminating != null) {
      conditions.put("terminating", terminating);
    }
    endpoints.add(new JsonObject().put("addresses", new JsonArray().add(address)).put("conditions", conditions));
    return this;
  }

  /** The object (a copy). */
  public JsonObject json() {
    return json.copy().put("endpoints", endpoints.copy()).put("ports", ports.copy());
  }
}
