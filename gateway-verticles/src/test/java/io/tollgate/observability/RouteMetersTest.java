package io.tollgate.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.Test;

class RouteMetersTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @Test
  void methodsOutsideTheKnownSetAreOther() {
    RouteMeters meters = new RouteMeters(registry, "r", true);
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
    RouteMeters meters = new RouteMeters(registry, "r", false);
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
    RouteMeters meters = new RouteMeters(registry, "r", true);
    meters.started();
    meters.started();
    assertThat(registry.get("tollgate.requests.in_flight").tag("route", "r").gauge().value()).isEqualTo(2);
    meters.finished(HttpMethod.GET, 200, 7_000_000, true);
    meters.finished(HttpMethod.GET, 200, 300_000_000, true);

    assertThat(registry.get("tollgate.requests.in_flight").gauge().value()).isZero();
    var timer = registry.get("tollgate.request.duration").tag("route", "r").timer();
    assertThat(timer.count()).isEqualTo(2);
    var buckets = timer.takeSnapshot().histogramCounts();
    assertThat(buckets).hasSize(RouteMeters.SLO_BUCKETS.length);
    assertThat(buckets[0].count()).as("5 ms").isZero();
    assertThat(buckets[1].count()).as("10 ms").isEqualTo(1);
    assertThat(buckets[7].count()).as("500 ms").isEqualTo(2);
  }

  private double count(String method, String statusClass) {
    var counter = registry.find("tollgate.requests").tags("route", "r", "method", method, "status_class", statusClass)
        .counter();
    return counter == null ? 0 : counter.count();
  }
}
