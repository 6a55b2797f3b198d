package io.tollgate.upstream;

import io.tollgate.config.DnsDiscoveryConfig;
import io.tollgate.config.TargetConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-resolves the DNS name of one discovered service (a {@link TargetDiscovery.Loop} of {@link UpstreamsVerticle},
 * confined to its event loop) with its own {@link DnsQueries} (Netty's resolver on this event loop: UDP, TCP when an
 * answer is truncated; nothing blocks) and one timer at a time: a lookup asks for the A and AAAA records with
 * {@code timeout}, trying the servers in order until one answers both, and the next lookup runs when the answer's
 * smallest TTL runs out, clamped to [{@code minTtl}, {@code maxTtl}] (RFC 1035 §3.2.1: the TTL is how long an answer
 * may be cached). A failed or empty lookup is retried after {@code minTtl}, doubled for each failure in a row up to
 * {@code maxTtl}, never sooner (a dead server is not hammered at the TTL's pace).
 *
 * <p>A lookup publishes its answer through the service's {@link DiscoveredTargets} (read lock-free by the data
 * plane); failed or empty lookups keep the last good set. Lookups never overlap: the next is scheduled when one
 * ends. Each lookup is counted as {@value TargetDiscovery#DNS_RESOLUTIONS}{@code .<outcome>.<service>}.
 */
final class DnsLookup implements TargetDiscovery.Loop {

  private static final Logger LOG = LoggerFactory.getLogger(DnsLookup.class);

  private final Vertx vertx;
  private final TargetDiscovery owner;
  private final DiscoveredTargets set;
  private final DnsDiscoveryConfig config;
  private DnsQueries queries;
  private long timer = -1;
  private boolean stopped;

  DnsLookup(Vertx vertx, TargetDiscovery owner, DiscoveredTargets set) {
    this.vertx = vertx;
    this.owner = owner;
    this.set = set;
    this.config = (DnsDiscoveryConfig) set.config();
  }

  @Override
  public void start() {
    queries = new DnsQueries((ContextInternal) vertx.getOrCreateContext(), config);
    resolve();
  }

  @Override
  public void stop() {
    stopped = true;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    queries.close();
  }

  /** One lookup; when it is done, the next one is scheduled (after the TTL, or the back-off after a failure). */
  private void resolve() {
    timer = -1;
    if (stopped) {
      return;
    }
    ask(0, null).onComplete(ar -> {
      if (stopped) {
        return;
      }
      DiscoveredTargets.Outcome outcome;
      Duration next;
      if (ar.succeeded()) {
        List<TargetConfig> before = set.targets();
        DnsQueries.Answer answer = ar.result();
        outcome = set.answered(DnsAnswers.targets(config, answer.addresses()), Instant.now());
        owner.published(set, outcome, before);
        next = outcome == DiscoveredTargets.Outcome.EMPTY ? config.retry(set.failuresInARow())
            : config.next(answer.minTtlSeconds());
      } else {
        outcome = set.failed(String.valueOf(ar.cause().getMessage()), Instant.now());
        next = config.retry(set.failuresInARow());
        if (TargetDiscovery.loud(set.failuresInARow())) {
          LOG.warn("service '{}': DNS lookup of {} failed ({} in a row), keeping {} target(s), next try in {} ms: {}",
              set.service(), config.name(), set.failuresInARow(), set.targets() == null ? 0 : set.targets().size(),
              next.toMillis(), set.lastError());
        }
      }
      set.scheduled(next);
      owner.count(TargetDiscovery.DNS_RESOLUTIONS + "." + outcome.label() + "." + set.service());
      timer = vertx.setTimer(Math.max(1, next.toMillis()), id -> resolve());
    });
  }

  /** A and AAAA from server {@code i}, else from the next one; fails with the last server's error. */
  private Future<DnsQueries.Answer> ask(int i, Throwable previous) {
    if (i >= queries.servers()) {
      return Future.failedFuture(previous);
    }
    return queries.lookup(i, config.name())
        .recover(e -> ask(i + 1, new IllegalStateException(server(i) + ": " + e.getMessage(), e)));
  }

  private String server(int i) {
    return config.servers().isEmpty() ? "system resolver " + queries.server(i) : "DNS server "
        + config.servers().get(i);
  }
}
