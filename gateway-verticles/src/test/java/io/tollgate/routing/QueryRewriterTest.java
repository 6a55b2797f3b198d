package io.tollgate.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tollgate.config.RewriteConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QueryRewriterTest {

  private static final PathPattern SEED = PathPattern.compile("/api/v1/monitors/{monitorId:int}/checks/");
  private static final PathParams SEED_PARAMS = SEED.match("/api/v1/monitors/101/checks/");

  private static QueryRewriter rewriter(PathPattern pattern, Map<String, String> set, List<String> remove) {
    return QueryRewriter.compile(pattern, new RewriteConfig(null, null, set, remove, Map.of(), List.of()));
  }

  private static final QueryRewriter SEED_REWRITER = rewriter(SEED, Map.of("target_id", "{monitorId}"), List.of());

  @Test
  void withoutRewriteTheRawQueryIsUntouched() {
    QueryRewriter none = QueryRewriter.compile(SEED, RewriteConfig.NONE);
    String raw = "a=1&&b=%zz&target_id=9";
    assertThat(none.isIdentity()).isTrue();
    assertThat(none.rewrite(raw, SEED_PARAMS)).isSameAs(raw);
    assertThat(none.rewrite(null, SEED_PARAMS)).isNull();
  }

  @Test
  void seedRouteForcesTheTargetFromThePath() {
    assertThat(SEED_REWRITER.rewrite("target_id=999&page=2", SEED_PARAMS)).isEqualTo("page=2&target_id=101");
    assertThat(SEED_REWRITER.rewrite(null, SEED_PARAMS)).isEqualTo("target_id=101");
    assertThat(SEED_REWRITER.rewrite("", SEED_PARAMS)).isEqualTo("target_id=101");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "target_id=999&page=2",
      "target%5Fid=999&page=2",
      "target%5fid=999&page=2",
      "%74%61rget_id=999&page=2",
      "TARGET_ID=999&page=2",
      "target_id&page=2",
      "target_id=&page=2",
      "target_id=1&target_id=2&page=2",
      "page=2&target_id=999",
      "page=2;target_id=999",
      "target_id[]=999&page=2",
      "target_id%5B%5D=999&page=2",
      "target_id[x]=999&page=2",
      "target_id%3D999=x&page=2",
      "target.id=999&page=2",
      "target+id=999&page=2",
      "target[id=999&page=2",
      "+target_id=999&page=2",
      "%20target_id=999&page=2",
      "page=2&x=1%26target_id%3D999",
      "page=2&x=1%3Btarget_id=999",
      "page=2&x=1%26TARGET%5FID=999",
  })
  void clientCopiesOfAForcedParameterNeverReachTheUpstream(String raw) {
    String out = SEED_REWRITER.rewrite(raw, SEED_PARAMS);
    assertThat(out).endsWith("target_id=101").doesNotContain("999");
    assertThat(out.indexOf("target_id")).isEqualTo(out.lastIndexOf("target_id"));
  }

  @Test
  void encodedSeparatorsInOrdinaryValuesAreKept() {
    assertThat(SEED_REWRITER.rewrite("q=fish%26chips&r=a%3Bb&page=2", SEED_PARAMS))
        .isEqualTo("q=fish%26chips&r=a%3Bb&page=2&target_id=101");
  }

  @Test
  void longerNamesThatOnlyStartWithAForcedNameAreKept() {
    assertThat(SEED_REWRITER.rewrite("target_ids=1&target_id_old=2&page=2", SEED_PARAMS))
        .isEqualTo("target_ids=1&target_id_old=2&page=2&target_id=101");
  }

  @Test
  void keptParametersAreCopiedByteForByteInOrder() {
    String raw = "b=%2f+x&a=%E2%82%AC&c&d==e&target_idx=1&ztarget_id=2";
    assertThat(SEED_REWRITER.rewrite(raw, SEED_PARAMS)).isEqualTo(raw + "&target_id=101");
  }

  @Test
  void emptyPiecesAreDroppedOnRewrite() {
    assertThat(SEED_REWRITER.rewrite("&&page=2&", SEED_PARAMS)).isEqualTo("page=2&target_id=101");
  }

  @Test
  void removeQueryDropsNamesAndReturnsNullWhenNothingIsLeft() {
    QueryRewriter remove = rewriter(SEED, Map.of(), List.of("debug", "trace id"));
    assertThat(remove.rewrite("debug=1&page=2&trace+id=x&trace%20id=y", SEED_PARAMS)).isEqualTo("page=2");
    assertThat(remove.rewrite("debug=1", SEED_PARAMS)).isNull();
    assertThat(remove.rewrite(null, SEED_PARAMS)).isNull();
    String untouched = "page=2&sort=asc";
    assertThat(remove.rewrite(untouched, SEED_PARAMS)).isSameAs(untouched);
  }

  @Test
  void namesCompareIgnoringAsciiCaseOnBothSides() {
    QueryRewriter remove = rewriter(SEED, Map.of(), List.of("X-Debug"));
    assertThat(remove.rewrite("x-debug=1&X-DEBUG=2&x%2Ddebug=3&page=2", SEED_PARAMS)).isEqualTo("page=2");
  }

  @Test
  void forcedValuesAreDecodedFromThePathThenEncodedForTheQuery() {
    PathPattern p = PathPattern.compile("/o/{owner}/r/{id:int}");
    PathParams params = p.match("/o/a&b=c%20d%C3%A9/r/7");
    Map<String, String> set = new LinkedHashMap<>();
    set.put("owner", "{owner}");
    set.put("ref", "repo {id}/x");
    set.put("a b", "1");
    QueryRewriter r = rewriter(p, set, List.of());
    assertThat(r.rewrite("x=1", params)).isEqualTo("x=1&owner=a%26b%3Dc%20d%C3%A9&ref=repo%207%2Fx&a%20b=1");
  }

  @Test
  void rejectsBadTemplatesAndNames() {
    assertThatThrownBy(() -> rewriter(SEED, Map.of("target_id", "{nope}"), List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown parameter {nope}");
    assertThatThrownBy(() -> rewriter(SEED, Map.of("target_id", "{monitorId"), List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'{' without '}'");
    assertThatThrownBy(() -> rewriter(SEED, Map.of("", "1"), List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty parameter name");
    assertThatThrownBy(() -> rewriter(SEED, Map.of("x", "{**}"), List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("{**}");
  }
}
