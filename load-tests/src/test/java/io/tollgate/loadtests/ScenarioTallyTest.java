package io.tollgate.loadtests;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The scenario's verdict: the mix of clients, and when a run passes or fails. */
class ScenarioTallyTest {

  private static final long ONE_MS = TimeUnit.MILLISECONDS.toNanos(1);

  @Test
  void a_hundred_clients_split_60_10_10_10_10_and_only_reads_and_uploads_are_the_legitimate_share() {
    Map<ScenarioClass, Long> mix = IntStream.range(0, 100).mapToObj(c -> ScenarioClass.of(c, 100))
        .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));

    assertThat(mix).containsExactlyInAnyOrderEntriesOf(Map.of(ScenarioClass.READ, 60L, ScenarioClass.NOT_OWNED, 10L,
        ScenarioClass.LIMITED, 10L, ScenarioClass.UPLOAD, 10L, ScenarioClass.UNKNOWN, 10L));
    assertThat(Arrays.stream(ScenarioClass.values()).filter(k -> k.legitimate))
        .containsExactly(ScenarioClass.READ, ScenarioClass.UPLOAD);
  }

  @Test
  void passes_when_every_answer_was_expected_and_the_legitimate_p99_is_under_the_limit() {
    ScenarioTally tally = new ScenarioTally();
    for (int i = 0; i < 1000; i++) {
      tally.record(ScenarioClass.READ, 2 * ONE_MS, new Scenario.Answer(200, null));
      tally.record(ScenarioClass.LIMITED, 900 * ONE_MS, new Scenario.Answer(i % 2 == 0 ? 200 : 429, null));
    }

    assertThat(tally.passed(150)).isTrue();
    JsonObject limited = tally.toJson().getJsonObject("classes").getJsonObject("rate-limited");
    assertThat(limited.getJsonObject("byStatus").getMap()).containsEntry("200", 500L).containsEntry("429", 500L);
    assertThat(limited.getLong("unexpected")).isZero();
  }

  @Test
  void one_unexpected_answer_in_any_class_fails_the_run_and_is_kept_as_an_example() {
    ScenarioTally tally = new ScenarioTally();
    tally.record(ScenarioClass.READ, ONE_MS, new Scenario.Answer(200, null));
    tally.record(ScenarioClass.NOT_OWNED, ONE_MS, new Scenario.Answer(200, "200 xxxx"));

    assertThat(tally.passed(150)).isFalse();
    assertThat(tally.failureReason(150)).startsWith("1 unexpected answers");
    assertThat(tally.toJson().getJsonObject("classes").getJsonObject("read-not-owned")
        .getJsonArray("unexpectedExamples").getList()).containsExactly("200 xxxx");
  }

  @Test
  void fails_when_the_legitimate_p99_reaches_the_limit() {
    ScenarioTally tally = new ScenarioTally();
    for (int i = 0; i < 100; i++) {
      tally.record(ScenarioClass.UPLOAD, (i < 98 ? 1 : 200) * ONE_MS, new Scenario.Answer(200, null));
    }

    assertThat(tally.passed(150)).isFalse();
    assertThat(tally.toJson().getJsonObject("legitimateShare").getDouble("p99Ms")).isGreaterThanOrEqualTo(150);
  }
}
