package io.tollgate.routing;

import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Result of {@link RouteTable#match}: exactly one of {@link Found}, {@link MethodNotAllowed} (answer 405 with
 * {@code Allow}) or {@link NotFound} (answer 404).
 *
 * @param <R> the route payload type
 */
public sealed interface RouteMatch<R> {

  /** A route accepts the method, host and path. */
  record Found<R>(R route, PathParams params) implements RouteMatch<R> {
    public Found {
      Objects.requireNonNull(route, "route");
      Objects.requireNonNull(params, "params");
    }
  }

  /**
   * Some route matched the host and path, but none of them allows the method.
   *
   * @param allowedMethods the union of the methods of those routes, sorted, with {@code HEAD} wherever
   *                       {@code GET} is present; never empty
   */
  record MethodNotAllowed<R>(Set<String> allowedMethods) implements RouteMatch<R> {
    public MethodNotAllowed {
      SortedSet<String> sorted = new TreeSet<>(allowedMethods);
      if (sorted.contains("GET")) {
        sorted.add("HEAD");
      }
      allowedMethods = Collections.unmodifiableSortedSet(sorted);
    }

    /** The value for the {@code Allow} response header (RFC 9110 §10.2.1), e.g. {@code "GET, HEAD, POST"}. */
    public String allowHeader() {
      return String.join(", ", allowedMethods);
    }
  }

  /** No route matched the host and path. */
  record NotFound<R>() implements RouteMatch<R> {
    private static final NotFound<?> INSTANCE = new NotFound<>();

    /** The shared instance (no allocation per request). */
    @SuppressWarnings("unchecked")
    public static <R> NotFound<R> instance() {
      return (NotFound<R>) INSTANCE;
    }
  }
}
