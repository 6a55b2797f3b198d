package io.tollgate.routing;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The routes of one config snapshot, compiled into a segment trie. Built once per snapshot, immutable, and
 * shared by all event loops without locking; a new snapshot builds a new table.
 *
 * <p>{@link #match} walks the normalized path by index ({@code indexOf('/')}, no split, no regex), depth-first
 * with backtracking, in this precedence:
 * <ol>
 *   <li>at each depth a literal segment beats a parameter ({@code int}, then {@code uuid}, then untyped), which
 *       beats a {@code /**} remainder ending at that depth; when a more specific branch has no route for the
 *       request deeper down, the next branch is tried ({@code /a/{x}/b} can lose to {@code /a/**} for
 *       {@code /a/1/c});</li>
 *   <li>among routes at the same trie leaf: exact host, then the longest matching {@code *.suffix} wildcard, then
 *       routes without hosts;</li>
 *   <li>then declaration order.</li>
 * </ol>
 * A route is a candidate only if its method list allows the method ({@code HEAD} is allowed wherever
 * {@code GET} is). If no route accepts the method but some route matches host and path, the result is
 * {@link RouteMatch.MethodNotAllowed} with the union of their methods; otherwise {@link RouteMatch.NotFound}.
 *
 * <p>Cost per request: one small search-state object (plus a capture array when some route has parameters);
 * segments are compared in place, with no substring or split. A found match then allocates its
 * {@link RouteMatch.Found} and, for routes with parameters or {@code /**}, the {@link PathParams} and its value
 * substrings. The 405 case walks the trie a second time to collect the allowed methods.
 *
 * @param <R> payload type, chosen by the caller
 */
public final class RouteTable<R> {

  private final TrieNode root;
  private final int maxParams;
  private final int size;

  private RouteTable(TrieNode root, int maxParams, int size) {
    this.root = root;
    this.maxParams = maxParams;
    this.size = size;
  }

  /**
   * Compiles routes; declaration order is the order of {@code specs}.
   *
   * @throws IllegalArgumentException naming the route, for a malformed path pattern or host
   */
  public static <R> RouteTable<R> compile(List<RouteSpec<R>> specs) {
    TrieNode.Builder root = new TrieNode.Builder();
    int maxParams = 0;
    for (RouteSpec<R> spec : specs) {
      PathPattern pattern;
      try {
        pattern = PathPattern.compile(spec.path());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("route '" + spec.id() + "': " + e.getMessage(), e);
      }
      root.add(pattern, new RouteEntry(spec, pattern));
      maxParams = Math.max(maxParams, pattern.paramNameArray().length);
    }
    return new RouteTable<>(root.build(), maxParams, specs.size());
  }

  /**
   * @param method         request method, case-sensitive (RFC 9110 §9.1), e.g. {@code "GET"}
   * @param hostWithoutPort the {@code Host} (or {@code :authority}) without port, any case; {@code null} when
   *                       absent (then only routes without hosts match)
   * @param normalizedPath output of {@link PathNormalizer#normalize}
   */
  @SuppressWarnings("unchecked")
  public RouteMatch<R> match(String method, String hostWithoutPort, String normalizedPath) {
    if (normalizedPath == null || normalizedPath.isEmpty() || normalizedPath.charAt(0) != '/') {
      return RouteMatch.NotFound.instance();
    }
    Search search = new Search(method, hostWithoutPort, normalizedPath, maxParams, null);
    if (search.find(root, 0, 0)) {
      return new RouteMatch.Found<>((R) search.found.payload, search.params());
    }
    if (!search.sawOtherMethod) {
      return RouteMatch.NotFound.instance();
    }
    Set<String> allowed = new HashSet<>();
    new Search(method, hostWithoutPort, normalizedPath, maxParams, allowed).find(root, 0, 0);
    return new RouteMatch.MethodNotAllowed<>(allowed);
  }

  /** Number of routes compiled into this table. */
  public int size() {
    return size;
  }

  /**
   * State of one depth-first search. In find mode ({@code allowed == null}) it stops at the first leaf with an
   * acceptable route; in collect mode it visits every leaf and gathers the methods of host-matching routes.
   */
  private static final class Search {
    private final String method;
    private final String host;
    private final String path;
    private final int[] captures;
    private final Set<String> allowed;
    boolean sawOtherMethod;
    RouteEntry found;
    private int remainderStart;

    Search(String method, String host, String path, int maxParams, Set<String> allowed) {
      this.method = method;
      this.host = host;
      this.path = path;
      this.captures = maxParams == 0 ? null : new int[maxParams * 2];
      this.allowed = allowed;
    }

    /** {@code pos} is {@code path.length()} or the index of the {@code /} before the next segment. */
    boolean find(TrieNode node, int pos, int nParams) {
      int n = path.length();
      if (pos == n) {
        return pick(node.exact, n) || pick(node.catchAll, n);
      }
      int start = pos + 1;
      int end = path.indexOf('/', start);
      if (end < 0) {
        end = n;
      }
      TrieNode literal = node.literals.get(path, start, end);
      if (literal != null && find(literal, end, nParams)) {
        return true;
      }
      if (tryParam(node.intChild, start, end, nParams)
          || tryParam(node.uuidChild, start, end, nParams)
          || tryParam(node.anyChild, start, end, nParams)) {
        return true;
      }
      return pick(node.catchAll, pos);
    }

    private boolean tryParam(TrieNode child, int start, int end, int nParams) {
      if (child == null || !child.type().accepts(path, start, end)) {
        return false;
      }
      captures[2 * nParams] = start;
      captures[2 * nParams + 1] = end;
      return find(child, end, nParams + 1);
    }

    /** Chooses among the routes of one leaf; true (find mode only) when one accepts host and method. */
    private boolean pick(RouteEntry[] entries, int remainderStart) {
      RouteEntry best = null;
      int bestRank = -1;
      for (RouteEntry e : entries) {
        int rank = e.hostRank(host);
        if (rank < 0) {
          continue;
        }
        if (!e.allows(method)) {
          sawOtherMethod = true;
          if (allowed != null) {
            e.addMethodsTo(allowed);
          }
        } else if (rank > bestRank) {
          best = e;
          bestRank = rank;
        }
      }
      if (best == null || allowed != null) {
        return false;
      }
      this.found = best;
      this.remainderStart = remainderStart;
      return true;
    }

    PathParams params() {
      String[] names = found.paramNames;
      String rest = remainderStart == path.length() ? "" : path.substring(remainderStart);
      if (names.length == 0) {
        return rest.isEmpty() ? PathParams.EMPTY : new PathParams(names, names, rest);
      }
      String[] values = new String[names.length];
      for (int i = 0; i < values.length; i++) {
        values[i] = path.substring(captures[2 * i], captures[2 * i + 1]);
      }
      return new PathParams(names, values, rest);
    }
  }
}
