package io.tollgate.ratelimit;

import io.tollgate.config.LimitConfig;
import io.tollgate.config.LimitConfig.FailMode;
import io.tollgate.config.RateLimitingConfig;
import io.tollgate.config.RateLimitingConfig.RedisConfig;
import io.tollgate.config.RouteLimitsConfig;
import io.tollgate.pipeline.AttributeKey;
import io.tollgate.pipeline.GatewayFailure;
import io.tollgate.pipeline.Outcome;
import io.tollgate.pipeline.Policy;
import io.tollgate.pipeline.RequestContext;
import io.tollgate.problem.ProblemType;
import io.tollgate.proxy.TrustedProxies;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code rate-limit} policy of one route: all of its limits decided in one call (Redis, or in process when
 * standalone), 429 with {@code Retry-After} and the {@code RateLimit} fields when an enforced limit denies.
 *
 * <p><b>Keys.</b> A limit counts per {@code <policy>:<limit>:<key parts>}; routes naming the same policy share
 * its counters (a route group) unless a key includes {@code route}; an inline list counts under the route's own
 * name. Every key of one request carries the same Redis Cluster hash tag: the policy, plus the value of a key part
 * that every limit of the policy shares (e.g. {@code {api|sub=alice}}), so clients spread over slots when they can.
 *
 * <p><b>Redis unavailable</b> (down, over budget): each enforced limit follows its {@link FailMode}. Any
 * {@code fail-closed} limit → 503 {@code rate-limiter-unavailable}; {@code local} limits are decided in process
 * with {@code 1/expectedNodes} of their permits and burst; {@code fail-open} limits allow. Counted as
 * {@code ratelimit.fail_closed}, {@code ratelimit.local_fallback}, {@code ratelimit.fail_open}.
 *
 * <p><b>Shadow limits</b> ({@code enforce: false}) never reject; a would-be denial is counted
 * ({@code ratelimit.shadow_denied}) and noted in the access log ({@code notes}).
 */
public final class RateLimitPolicy implements Policy {

  private static final AttributeKey<Decision> DECISION = AttributeKey.named("rate-limit-decision");

  private final String group;
  private final List<Limit> limits;
  private final KeyPart tagPart;
  private final RedisConfig redis;
  private final boolean headersOnAllowed;
  private final String policyHeader;
  private final TrustedProxies trusted;
  private final boolean anyFailClosed;
  private final boolean anyLocal;
  private final boolean anyFailOpen;

  /** A configured limit compiled: its template (key filled per request), key parts and fail mode. */
  private record Limit(RateLimit template, RateLimit localShare, List<KeyPart> parts, FailMode failMode) {
  }

  private RateLimitPolicy(String group, List<Limit> limits, KeyPart tagPart, RateLimitingConfig config,
      TrustedProxies trusted) {
    this.group = group;
    this.limits = limits;
    this.tagPart = tagPart;
    this.redis = config.redis();
    this.headersOnAllowed = config.headers();
    this.trusted = trusted;
    this.policyHeader = RateLimitHeaders.policy(limits.stream().map(Limit::template).toList());
    this.anyFailClosed = limits.stream()
        .anyMatch(l -> l.template().enforced() && l.failMode() == FailMode.FAIL_CLOSED);
    this.anyLocal = limits.stream().anyMatch(l -> l.template().enforced() && l.failMode() == FailMode.LOCAL);
    this.anyFailOpen = limits.stream()
        .anyMatch(l -> l.template().enforced() && l.failMode() == FailMode.FAIL_OPEN);
  }

  /**
   * Compiles a route's {@code rateLimit:}.
   *
   * @param routeId the route, naming the counters of an inline list
   * @param trusted the listener's trusted proxies (for the {@code ip} key part)
   */
  public static RateLimitPolicy compile(String routeId, RouteLimitsConfig route, RateLimitingConfig config,
      TrustedProxies trusted) {
    String group = route.policy() != null ? route.policy() : "route." + routeId;
    List<Limit> limits = new ArrayList<>();
    for (LimitConfig c : route.limits()) {
      List<KeyPart> parts = c.key().stream().map(spec -> KeyPart.parse(spec, config.tenantClaim())).toList();
      RateLimit template = new RateLimit(c.name(), c.requests(), c.period(), c.burst(), group, c.enforce());
      limits.add(new Limit(template, template.dividedBy(config.expectedNodes()), parts, c.failMode()));
    }
    return new RateLimitPolicy(group, limits, sharedPart(route.limits(), config.tenantClaim()), config, trusted);
  }

  /** The first key part every limit has (its value then joins the hash tag), or null. */
  private static KeyPart sharedPart(List<LimitConfig> limits, String tenantClaim) {
    for (String spec : limits.get(0).key()) {
      if (limits.stream().allMatch(l -> l.key().contains(spec))) {
        return KeyPart.parse(spec, tenantClaim);
      }
    }
    return null;
  }

  @Override
  public String id() {
    return "rate-limit";
  }

  @Override
  public Future<Outcome> onRequest(RequestContext ctx) {
    RateLimitRuntime runtime = ctx.get(RateLimitRuntime.KEY);
    List<RateLimit> keyed = keyed(ctx, false);
    Future<Decision> decided = redis == null ? runtime.local().acquire(keyed) : runtime.acquire(redis, keyed);
    return decided.transform(ar -> {
      if (ar.succeeded()) {
        return Future.succeededFuture(decided(ctx, runtime, ar.result()));
      }
      if (ar.cause() instanceof RateLimiterUnavailable) {
        return Future.succeededFuture(unavailable(ctx, runtime));
      }
      return Future.failedFuture(ar.cause());
    });
  }

  @Override
  public void onResponse(RequestContext ctx) {
    Decision decision = ctx.get(DECISION);
    if (decision != null) {
      ctx.response().headers().set(RateLimitHeaders.POLICY, policyHeader)
          .set(RateLimitHeaders.RATE_LIMIT, RateLimitHeaders.rateLimit(decision));
    }
  }

  /** The request's limits with their keys: all of them, or ({@code localShares}) the node's share of the local-mode ones. */
  private List<RateLimit> keyed(RequestContext ctx, boolean localShares) {
    StringBuilder tag = new StringBuilder(64).append('{').append(group);
    if (tagPart != null) {
      tag.append('|');
      tagPart.append(tag, ctx, trusted);
    }
    tag.append("}:");
    List<RateLimit> keyed = new ArrayList<>(limits.size());
    for (Limit limit : limits) {
      if (localShares && (!limit.template().enforced() || limit.failMode() != FailMode.LOCAL)) {
        continue;
      }
      StringBuilder key = new StringBuilder(tag).append(limit.template().name()).append(':');
      List<KeyPart> parts = limit.parts();
      for (int i = 0; i < parts.size(); i++) {
        if (i > 0) {
          key.append(',');
        }
        parts.get(i).append(key, ctx, trusted);
      }
      keyed.add((localShares ? limit.localShare() : limit.template()).withKey(key.toString()));
    }
    return keyed;
  }

  private Outcome decided(RequestContext ctx, RateLimitRuntime runtime, Decision decision) {
    if (!decision.shadowDenied().isEmpty()) {
      runtime.count("ratelimit.shadow_denied");
      decision.shadowDenied().forEach(limit -> ctx.note("rate-limit-shadow-denied:" + limit.name()));
    }
    if (decision.denied()) {
      runtime.count("ratelimit.denied");
      return deny(decision);
    }
    if (headersOnAllowed && decision.limit().enforced()) {
      ctx.put(DECISION, decision);
    }
    return Outcome.NEXT;
  }

  private Outcome unavailable(RequestContext ctx, RateLimitRuntime runtime) {
    if (anyFailClosed) {
      runtime.count("ratelimit.fail_closed");
      return new Outcome.Respond(GatewayFailure.of(ProblemType.RATE_LIMITER_UNAVAILABLE,
          "the rate limiter is unavailable and this route's limits fail closed").withHeader("Retry-After", "1"));
    }
    if (anyLocal) {
      runtime.count("ratelimit.local_fallback");
      Decision local = runtime.local().decide(keyed(ctx, true));
      if (local.denied()) {
        runtime.count("ratelimit.denied");
        return deny(local);
      }
      if (headersOnAllowed) {
        ctx.put(DECISION, local);
      }
    }
    if (anyFailOpen) {
      runtime.count("ratelimit.fail_open");
    }
    return Outcome.NEXT;
  }

  private Outcome deny(Decision decision) {
    GatewayFailure failure = GatewayFailure.of(ProblemType.RATE_LIMITED,
            "rate limit '" + decision.limit().name() + "' exceeded; retry after "
                + RateLimitHeaders.retryAfter(decision.retryAfter()) + " s")
        .withHeader("Retry-After", RateLimitHeaders.retryAfter(decision.retryAfter()))
        .withHeader(RateLimitHeaders.RATE_LIMIT, RateLimitHeaders.rateLimit(decision));
    return new Outcome.Respond(policyHeader == null ? failure : failure.withHeader(RateLimitHeaders.POLICY,
        policyHeader));
  }

  @Override
  public String toString() {
    return "RateLimitPolicy[" + group + ", " + limits.size() + " limit(s)]";
  }
}
