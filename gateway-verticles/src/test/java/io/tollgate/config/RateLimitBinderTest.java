package io.tollgate.config;

import static io.tollgate.config.TestConfigs.errors;
import static io.tollgate.config.TestConfigs.parse;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.config.LimitConfig.FailMode;
import io.tollgate.config.RateLimitingConfig.RedisConfig;
import io.tollgate.config.RouteLimitsConfig.Concurrency;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code rateLimiting:} (store, policies, limits) and each route's {@code rateLimit:} and {@code concurrency:}. */
class RateLimitBinderTest {

  private static final String KEY_RULE = "(expected ip, sub, tenant, consumer, route, header:<name> or claim:<name>)";
  private static final String LIMIT = "rateLimiting.policies.api[0]";

  /** The one limit of policy {@code api}, written as an inline mapping, e.g. {@code "{ rate: 10/s }"}. */
  private static LimitConfig limit(String limit) throws ConfigException {
    return parse(policies("api: [" + limit + "]")).rateLimiting().policies().get("api").get(0);
  }

  /** The errors of policy {@code api} with the given limits (inline mappings). */
  private static List<String> limitErrors(String... limits) {
    return errors(policies("api: [" + String.join(", ", limits) + "]"));
  }

  private static String policies(String entries) {
    return "rateLimiting:\n  policies:\n    " + entries + "\n";
  }

  /** The single route written inline after a {@code rateLimiting:} section with the given policies. */
  private static RouteConfig route(String policyEntries, String route) throws ConfigException {
    return parse(policies(policyEntries) + TestConfigs.SERVICES + "routes:\n  - " + route + "\n").routes().get(0);
  }

  private static List<String> routeErrors(String policyEntries, String route) {
    return errors(policies(policyEntries) + TestConfigs.SERVICES + "routes:\n  - " + route + "\n");
  }

  @Test
  void noSectionMeansNoRateLimiting() throws ConfigException {
    GatewayConfig config = parse(TestConfigs.SERVICES + "routes:\n  - { id: r, path: /x, service: service1 }\n");

    assertThat(config.rateLimiting()).isSameAs(RateLimitingConfig.NONE);
    assertThat(config.routes().get(0).rateLimit()).isNull();
    assertThat(config.routes().get(0).concurrency()).isNull();
  }

  @Test
  void aLimitWithOnlyARateGetsEveryDefault() throws ConfigException {
    RateLimitingConfig config = parse(policies("api: [ { rate: 10/s } ]")).rateLimiting();

    assertThat(config.policies().get("api")).containsExactly(
        new LimitConfig("10-per-s", 10, Duration.ofSeconds(1), 10, List.of("ip"), FailMode.LOCAL, true));
    assertThat(config.redis()).isNull();
    assertThat(config.expectedNodes()).isEqualTo(1);
    assertThat(config.headers()).isTrue();
    assertThat(config.tenantClaim()).isEqualTo("tenant");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "10/s      | 10   | PT1S   | 10-per-s",
      "1000/min  | 1000 | PT1M   | 1000-per-min",
      "5/10s     | 5    | PT10S  | 5-per-10s",
      "3/h       | 3    | PT1H   | 3-per-h",
      "1/day     | 1    | PT24H  | 1-per-day",
      "' 7 / S ' | 7    | PT1S   | 7-per-S",
      "90/1m30s  | 90   | PT1M30S| 90-per-1m30s"})
  void rateSyntax(String rate, long requests, Duration period, String defaultName) throws ConfigException {
    LimitConfig limit = limit("{ rate: '" + rate + "' }");

    assertThat(limit.requests()).isEqualTo(requests);
    assertThat(limit.period()).isEqualTo(period);
    assertThat(limit.burst()).isEqualTo(requests);
    assertThat(limit.name()).isEqualTo(defaultName);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "10      | expected '<requests>/<period>', e.g. 10/s, 1000/min, 5/10s; got '10'",
      "ten/s   | expected '<requests>/<period>', e.g. 10/s, 1000/min, 5/10s; got 'ten/s'",
      "0/s     | must allow at least 1 request",
      "10/xyz  | unknown period 'xyz' (expected s, min, h, day or a duration such as 10s)",
      "10/0s   | the period must be greater than 0",
      "2000/1ms| more than one request per microsecond cannot be limited"})
  void invalidRates(String rate, String message) {
    assertThat(limitErrors("{ rate: '" + rate + "' }")).containsExactly(LIMIT + ".rate: " + message);
  }

  @Test
  void limitsThatCouldOverflowAreRefusedAtLoad() {
    assertThat(limitErrors("{ rate: 1/day, burst: 200000000 }")).containsExactly(
        LIMIT + ".burst: burst × (period / requests) must stay under 100 years; got 200000000 × 86400000000 µs");
    assertThat(limitErrors("{ rate: '1/1000000h' }")).containsExactly(
        LIMIT + ".rate: the period must be at most 100 years");
  }

  @Test
  void policyNamesCannotTakeTheInlineNamespace() {
    assertThat(errors(policies("route.orders: [ { rate: 1/s } ]"))).containsExactly(
        "rateLimiting.policies.route.orders: policy names starting with 'route.' are reserved (they name routes'"
            + " inline limits)");
  }

  @Test
  void anInvalidRateDoesNotHideTheLimitsOtherErrors() {
    assertThat(limitErrors("{ rate: '10', failMode: nope, burst: 0, key: [who] }")).containsExactly(
        LIMIT + ".burst: must be between 1 and 1000000000",
        LIMIT + ".key[0]: unknown key part 'who' (expected ip, sub, tenant, consumer, route, header:<name> or claim:<name>)",
        LIMIT + ".failMode: expected 'local', 'fail-open' or 'fail-closed', got 'nope'",
        LIMIT + ".rate: expected '<requests>/<period>', e.g. 10/s, 1000/min, 5/10s; got '10'");
  }

  @Test
  void burstNameEnforceAndFailModeAreRead() throws ConfigException {
    LimitConfig limit = limit("{ name: per-user, rate: 100/min, burst: 20, enforce: false, failMode: fail-closed }");

    assertThat(limit).isEqualTo(new LimitConfig("per-user", 100, Duration.ofMinutes(1), 20, List.of("ip"),
        FailMode.FAIL_CLOSED, false));
  }

  @ParameterizedTest
  @CsvSource({"local, LOCAL", "fail-open, FAIL_OPEN", "fail-closed, FAIL_CLOSED"})
  void failModeSpellings(String text, FailMode mode) throws ConfigException {
    assertThat(limit("{ rate: 1/s, failMode: " + text + " }").failMode()).isEqualTo(mode);
  }

  @Test
  void limitFieldsAreChecked() {
    assertThat(limitErrors(
        "{ rate: 1/s, failMode: failOpen }",
        "{ rate: 1/s, failMode: FAIL-OPEN, name: other }",
        "{ name: 'bad name', rate: 1/s }",
        "{ name: c, rate: 1/s, enforce: maybe }",
        "{ name: d, rate: 1/s, burts: 5 }",
        "{ name: e }")).containsExactly(
        LIMIT + ".failMode: expected 'local', 'fail-open' or 'fail-closed', got 'failOpen'",
        "rateLimiting.policies.api[1].failMode: expected 'local', 'fail-open' or 'fail-closed', got 'FAIL-OPEN'",
        "rateLimiting.policies.api[2].name: invalid limit name 'bad name' (use letters, digits, '.', '_' and '-', "
            + "starting with a letter or digit)",
        "rateLimiting.policies.api[3].enforce: expected true or false, got 'maybe'",
        "rateLimiting.policies.api[4].burts: unknown field (expected one of: name, rate, burst, key, failMode, enforce)",
        "rateLimiting.policies.api[5].rate: is required");
  }

  @Test
  void burstIsACountOfRequests() {
    assertThat(limitErrors("{ rate: 1/s, burst: 0 }", "{ name: b, rate: 1/s, burst: 2KB }")).containsExactly(
        LIMIT + ".burst: must be between 1 and 1000000000",
        "rateLimiting.policies.api[1].burst: expected an integer, got '2KB'");
  }

  @Test
  void keyPartsAreKeptInOrder() throws ConfigException {
    assertThat(limit("{ rate: 1/s, key: [ip, sub, tenant, consumer, route, 'header:X-Tenant', 'claim:org'] }").key())
        .containsExactly("ip", "sub", "tenant", "consumer", "route", "header:X-Tenant", "claim:org");
    assertThat(limit("{ rate: 1/s, key: sub }").key()).containsExactly("sub");
  }

  @Test
  void invalidKeyPartsAreReportedEachAtItsIndex() {
    assertThat(limitErrors(
        "{ name: a, rate: 1/s, key: [user, 'header:', 'header:X Tenant', 'claim:', sub, sub] }",
        "{ name: b, rate: 1/s, key: [] }",
        "{ name: c, rate: 1/s, key: nobody }")).containsExactly(
        LIMIT + ".key[0]: unknown key part 'user' " + KEY_RULE,
        LIMIT + ".key[1]: invalid header name in 'header:'",
        LIMIT + ".key[2]: invalid header name in 'header:X Tenant'",
        LIMIT + ".key[3]: 'claim:' needs a claim name",
        LIMIT + ".key[5]: 'sub' is listed twice",
        "rateLimiting.policies.api[1].key: must name at least one key part " + KEY_RULE,
        "rateLimiting.policies.api[2].key: unknown key part 'nobody' " + KEY_RULE);
  }

  @Test
  void headerKeyPartsDifferingOnlyInCaseAreTheSamePart() {
    // Header names are case-insensitive (RFC 9110 section 5.1): both read the same value.
    assertThat(limitErrors("{ rate: 1/s, key: ['header:X-Tenant', 'header:x-tenant'] }"))
        .containsExactly(LIMIT + ".key[1]: 'header:x-tenant' is listed twice");
  }

  @Test
  void limitNamesAreUniqueWithinAList() {
    assertThat(limitErrors("{ rate: 10/s }", "{ rate: 10/s, key: sub }", "{ name: x, rate: 1/s }",
        "{ name: x, rate: 5/min }")).containsExactly(
        "rateLimiting.policies.api[1]: duplicate limit name '10-per-s' (first at rateLimiting.policies.api[0])",
        "rateLimiting.policies.api[3]: duplicate limit name 'x' (first at rateLimiting.policies.api[2])");
  }

  @Test
  void policiesAreNamedNonEmptyLists() {
    assertThat(errors(policies("-bad: [ { rate: 1/s } ]\n    empty: []\n    single: { rate: 1/s }"))).containsExactly(
        "rateLimiting.policies.-bad: invalid policy name (use letters, digits, '.', '_' and '-', starting with a "
            + "letter or digit)",
        "rateLimiting.policies.empty: must list at least one limit",
        "rateLimiting.policies.single: expected a list, got a mapping");
  }

  @Test
  void aRouteNamesAPolicyOrListsItsOwnLimits() throws ConfigException {
    RouteConfig shared = route("api: [ { rate: 10/s } ]", "{ id: r, path: /x, service: service1, rateLimit: api }");
    RouteConfig inline = route("api: [ { rate: 10/s } ]",
        "{ id: r, path: /x, service: service1, rateLimit: [ { name: own, rate: 2/s } ] }");

    assertThat(shared.rateLimit().policy()).isEqualTo("api");
    assertThat(shared.rateLimit().limits()).extracting(LimitConfig::name).containsExactly("10-per-s");
    assertThat(inline.rateLimit().policy()).isNull();
    assertThat(inline.rateLimit().limits()).extracting(LimitConfig::name).containsExactly("own");
  }

  @Test
  void anUnknownPolicyIsReportedWithASuggestion() {
    assertThat(routeErrors("api: [ { rate: 1/s } ]\n    partners: [ { rate: 1/s } ]",
        "{ id: r, path: /x, service: service1, rateLimit: apj }"))
        .containsExactly("routes[0].rateLimit: unknown rate-limit policy 'apj' (did you mean 'api'?)");
    assertThat(routeErrors("api: [ { rate: 1/s } ]\n    partners: [ { rate: 1/s } ]",
        "{ id: r, path: /x, service: service1, rateLimit: billing }"))
        .containsExactly("routes[0].rateLimit: unknown rate-limit policy 'billing' (declared: api, partners)");
    assertThat(TestConfigs.routeErrors("  - { id: r, path: /x, service: service1, rateLimit: api }\n"))
        .containsExactly("routes[0].rateLimit: unknown rate-limit policy 'api' (rateLimiting.policies is empty)");
  }

  @Test
  void inlineRouteLimitsReportErrorsUnderTheRoute() {
    assertThat(TestConfigs.routeErrors("""
          - { id: r, path: /x, service: service1, rateLimit: [ { rate: 1/xyz }, { rate: 1/s, key: [who] } ] }
          - { id: s, path: /y, service: service1, rateLimit: [] }
        """)).containsExactly(
        "routes[0].rateLimit[0].rate: unknown period 'xyz' (expected s, min, h, day or a duration such as 10s)",
        "routes[0].rateLimit[1].key[0]: unknown key part 'who' " + KEY_RULE,
        "routes[1].rateLimit: must list at least one limit");
  }

  @Test
  void redisStoreAndSharedSettings() throws ConfigException {
    RateLimitingConfig config = parse("""
        rateLimiting:
          redis: { url: 'rediss://:s3cret@redis.internal:6380/2' }
          expectedNodes: 3
          headers: false
          tenantClaim: org_id
        """).rateLimiting();

    assertThat(config.redis().url()).isEqualTo("rediss://:s3cret@redis.internal:6380/2");
    assertThat(config.redis().endpoint()).isEqualTo("redis.internal:6380");
    assertThat(config.redis().budget()).isEqualTo(Duration.ofMillis(10));
    assertThat(config.redis().keyPrefix()).isEqualTo("tollgate:rl:");
    assertThat(config.expectedNodes()).isEqualTo(3);
    assertThat(config.headers()).isFalse();
    assertThat(config.tenantClaim()).isEqualTo("org_id");
    assertThat(parse("rateLimiting: { redis: { url: 'redis://r', budget: 50ms, keyPrefix: 'gw:' } }")
        .rateLimiting().redis()).isEqualTo(new RedisConfig("redis://r", Duration.ofMillis(50), "gw:"));
  }

  @Test
  void theRedisPasswordNeverAppearsInToString() throws ConfigException {
    RateLimitingConfig config = parse("rateLimiting: { redis: { url: 'redis://app:s3cret@redis.internal' } }")
        .rateLimiting();

    assertThat(config.toString()).doesNotContain("s3cret").contains("redis.internal:6379");
  }

  @Test
  void redisSettingsAreCheckedWithoutEchoingTheUrl() {
    List<String> errors = errors("""
        rateLimiting:
          redis: { url: 'http://app:s3cret@redis.internal', budget: 0ms, keyPrefix: '{gw}:' }
          expectedNodes: 0
          tenantClaim: ''
        """);

    assertThat(errors).containsExactlyInAnyOrder(
        "rateLimiting.redis.url: must be a redis:// or rediss:// URL",
        "rateLimiting.redis.keyPrefix: must not contain '{' or '}' (Tollgate chooses the Redis Cluster hash tag)",
        "rateLimiting.redis.budget: must be greater than 0",
        "rateLimiting.tenantClaim: must not be empty",
        "rateLimiting.expectedNodes: must be between 1 and 10000");
    assertThat(String.join("\n", errors)).doesNotContain("s3cret");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "redis://:s3cret@/0            | must name a host, e.g. redis://127.0.0.1:6379",
      "redis://app:s3cret@red is:1   | is not a valid URL (redis://[[user]:password@]host[:port][/db])",
      "s3cret                        | must be a redis:// or rediss:// URL"})
  void badRedisUrlsAreReportedWithoutThePassword(String url, String message) {
    assertThat(errors("rateLimiting: { redis: { url: '" + url + "' } }"))
        .containsExactly("rateLimiting.redis.url: " + message);
  }

  @Test
  void redisNeedsAUrlAndExpectedNodesAHumanScale() {
    assertThat(errors("rateLimiting: { redis: { budget: 5ms }, expectedNodes: 10001 }")).containsExactly(
        "rateLimiting.redis.url: is required",
        "rateLimiting.expectedNodes: must be between 1 and 10000");
    assertThat(errors("rateLimiting: { redis: { url: 'redis://r', keyPrefix: 'a}b' } }")).containsExactly(
        "rateLimiting.redis.keyPrefix: must not contain '{' or '}' (Tollgate chooses the Redis Cluster hash tag)");
  }

  @Test
  void concurrencyDefaults() throws ConfigException {
    assertThat(TestConfigs.route("{ id: r, path: /x, service: service1, concurrency: { max: 5 } }").concurrency())
        .isEqualTo(new Concurrency(5, 0, Duration.ofSeconds(1)));
    assertThat(TestConfigs.route(
        "{ id: r, path: /x, service: service1, concurrency: { max: 2, queue: 10, maxWait: 250ms } }").concurrency())
        .isEqualTo(new Concurrency(2, 10, Duration.ofMillis(250)));
  }

  @Test
  void concurrencyErrors() {
    assertThat(TestConfigs.routeErrors("""
          - { id: a, path: /a, service: service1, concurrency: { queue: 3 } }
          - { id: b, path: /b, service: service1, concurrency: { max: 0, queue: -1, maxWait: 0s } }
          - { id: c, path: /c, service: service1, concurrency: { max: 1, maxWait: 5, limit: 2 } }
          - { id: d, path: /d, service: service1, concurrency: 5 }
        """)).containsExactly(
        "routes[0].concurrency.max: is required",
        "routes[1].concurrency.max: must be between 1 and 1000000",
        "routes[1].concurrency.queue: must be between 0 and 1000000",
        "routes[1].concurrency.maxWait: must be greater than 0",
        "routes[2].concurrency.limit: unknown field (expected one of: max, queue, maxWait)",
        "routes[2].concurrency.maxWait: '5' has no unit: write e.g. 5s or 5ms (a bare number is ambiguous)",
        "routes[3].concurrency: expected a mapping, got 5");
  }
}
