package io.tollgate.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.Test;

class RouteMetersTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final HistogramFamily durations = RouteMeters.durations();

  @Test
  void methodsOutsideTheKnownSetAreOther() {
    RouteMeters meters = new RouteMeters(registry, durations, "r", true);
    for (String method : new String[] {"GET", "POST", "PROPFIND", "FOO", "get"}) {
      meters.started();
      meters.finished(HttpMethod.valueOf(method), 200, 1_000_000, true);
    }

    assertThat(count("GET", "2xx")).isEqualTo(1);
    assertThat(count("POST", "2xx")).isEqualTo(1);
    assertThat(count("OTHER", "2xx")).as("PROPFIND, FOO and lower-case get").isEqualTo(3);
    assertThat(registry.find("tollgate.requests").counters()).hasSize(3);
  }

  @Test
  void statusClassesAndNoResponse() {
    RouteMeters meters = new RouteMeters(registry, durations, "r", false);
    int[] statuses = {100, 204, 301, 404, 499, 503, 0, 600, 42};
    for (int status : statuses) {
      meters.finished(HttpMethod.GET, status, 1_000_000, false);
    }

    assertThat(count("GET", "1xx")).isEqualTo(1);
    assertThat(count("GET", "2xx")).isEqualTo(1);
    assertThat(count("GET", "3xx")).isEqualTo(1);
    assertThat(count("GET", "4xx")).isEqualTo(2);
    assertThat(count("GET", "5xx")).isEqualTo(1);
    assertThat(count("GET", "none")).as("no head sent, or a status outside 100..599").isEqualTo(3);
    assertThat(registry.find("tollgate.requests.in_flight").gauge()).as("untracked label value").isNull();
  }

  @Test
  void inFlightFollowsStartAndFinishAndTheHistogramHasTheSloBuckets() {
    RouteMeters meters = new RouteMeters(registry, durations, "r", true);
    meters.started();
    meters.started();
    assertThat(registry.get("tollgate.requests.in_flight").tag("route", "r").gauge().value()).isEqualTo(2);
    meters.finished(HttpMethod.GET, 200, 7_000_000, true);
    meters.finished(HttpMethod.GET, 200, 300_000_000, true);

    assertThat(registry.get("tollgate.requests.in_flight").gauge().value()).isZero();
    assertThat(durations.child("r").count()).isEqualTo(2);
    PrometheusText text = render();
    assertThat(text.value("tollgate_request_duration_seconds_bucket", "route", "r", "le", "0.005")).isZero();
    assertThat(text.value("tollgate_request_duration_seconds_bucket", "route", "r", "le", "0.01")).isEqualTo(1);
    assertThat(text.value("tollgate_request_duration_seconds_bucket", "route", "r", "le", "0.5")).isEqualTo(2);
    assertThat(text.value("tollgate_request_duration_seconds_bucket", "route", "r", "le", "+Inf")).isEqualTo(2);
    assertThat(text.value("tollgate_request_duration_seconds_count", "route", "r")).isEqualTo(2);
    assertThat(text.value("tollgate_request_duration_seconds_sum", "route", "r")).isEqualTo(0.307);
    assertThat(text.matching("tollgate_request_duration_seconds_bucket", "route", "r"))
        .hasSize(RouteMeters.SLO_BUCKETS.length + 1);
  }

  @Test
  void aDroppedRouteLeavesTheHistogramFamily() {
    new RouteMeters(registry, durations, "gone", false).finished(HttpMethod.GET, 200, 1, false);
    new RouteMeters(registry, durations, "kept", false).finished(HttpMethod.GET, 200, 20_000_000_000L, false);
    durations.retain(java.util.Set.of("kept"));
    PrometheusText text = render();
    assertThat(text.matching("tollgate_request_duration_seconds_count", "route", "gone")).isEmpty();
    assertThat(text.value("tollgate_request_duration_seconds_bucket", "route", "kept", "le", "10.0"))
        .as("20 s is above every bound").isZero();
    assertThat(text.value("tollgate_request_duration_seconds_bucket", "route", "kept", "le", "+Inf")).isEqualTo(1);
  }

  private PrometheusText render() {
    StringBuilder out = new StringBuilder();
    durations.render(out);
    return PrometheusText.parse(out.toString());
  }

  private double count(String method, String statusClass) {
    var counter = registry.find("tollgate.requests").tags("route", "r", "method", method, "status_class", statusClass)
        .counter();
    return counter == null ? 0 : counter.count();
  }
}
