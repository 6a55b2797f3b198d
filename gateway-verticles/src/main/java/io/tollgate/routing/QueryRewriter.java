package io.tollgate.routing;

import io.tollgate.config.RewriteConfig;
import io.tollgate.config.RouteConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Computes the upstream query string from the client's raw query and a route's {@code rewrite.setQuery} /
 * {@code rewrite.removeQuery}. Compiled once per route; immutable and shared by all event loops.
 *
 * <ul>
 *   <li>Nothing configured: the raw query is returned untouched (the same instance, or {@code null}).</li>
 *   <li>Otherwise the query is split on {@code &} (by index). A parameter is dropped when its name, once
 *       form-decoded ({@code %XX}, {@code +} as space) and compared ignoring ASCII case, is in {@code removeQuery}
 *       or is a {@code setQuery} key; so {@code target_id}, {@code target%5Fid} and {@code TARGET_ID} are all
 *       dropped, whatever the upstream framework's decoding or case rules; so are names that continue with
 *       {@code [} ({@code target_id[]}, {@code target_id[x]}: array syntax in PHP, Rails, qs) or with an encoded
 *       {@code =} ({@code target_id%3D202=x}, which a decode-then-split parser reads as {@code target_id}).
 *       PHP's name mangling is matched too: {@code target.id}, {@code target+id}, {@code target[id} and
 *       {@code +target_id} all reach {@code $_GET['target_id']}. A piece is also dropped when such a name follows an
 *       encoded {@code &} or {@code ;} ({@code x=1%26target_id%3D7}), for parsers that decode before splitting.
 *       A piece is also dropped when such a
 *       name follows a {@code ;} inside it, since some stacks still split on {@code ;}. Kept parameters are
 *       copied byte for byte, in order; empty pieces ({@code a=1&&b=2}) are dropped.</li>
 *   <li>Then each {@code setQuery} entry is appended in declaration order as {@code name=value}, where
 *       {@code {param}} in the value is the decoded path parameter and the whole value is percent-encoded
 *       (everything but unreserved characters), so a parameter can never inject {@code &} or {@code =}.</li>
 * </ul>
 * The result is {@code null} when nothing is left (send no {@code ?}).
 */
public final class QueryRewriter {

  private static final QueryRewriter IDENTITY = new QueryRewriter(new byte[0][], List.of());

  private final byte[][] dropNames;
  private final SetParam[] setParams;

  /** One forced parameter: {@code name=} pre-encoded, and the value template with literal parts pre-encoded. */
  private record SetParam(String encodedNameEq, Template.Part[] value) {
  }

  private QueryRewriter(byte[][] dropNames, List<SetParam> setParams) {
    this.dropNames = dropNames;
    this.setParams = setParams.toArray(new SetParam[0]);
  }

  /** Compiles {@code route.rewrite()} against {@code route.path()}. */
  public static QueryRewriter compile(RouteConfig route) {
    return compile(PathPattern.compile(route.path()), route.rewrite());
  }

  /**
   * @throws IllegalArgumentException for an empty name or a {@code setQuery} value naming an unknown
   *                                  parameter or with unbalanced braces
   */
  public static QueryRewriter compile(PathPattern pattern, RewriteConfig rewrite) {
    if (rewrite.setQuery().isEmpty() && rewrite.removeQuery().isEmpty()) {
      return IDENTITY;
    }
    List<byte[]> drop = new ArrayList<>();
    for (String name : rewrite.removeQuery()) {
      drop.add(PercentCodec.lowerAsciiUtf8(checkName(name, "rewrite.removeQuery")));
    }
    List<SetParam> sets = new ArrayList<>();
    for (Map.Entry<String, String> e : rewrite.setQuery().entrySet()) {
      String name = checkName(e.getKey(), "rewrite.setQuery");
      drop.add(PercentCodec.lowerAsciiUtf8(name));
      List<Template.Part> parts = new ArrayList<>();
      for (Template.Part p : Template.parse(e.getValue(), pattern, false, "rewrite.setQuery." + name)) {
        parts.add(p.kind() == Template.Kind.LITERAL
            ? new Template.Part(Template.Kind.LITERAL, PercentCodec.encodeQueryComponent(p.text()))
            : p);
      }
      sets.add(new SetParam(PercentCodec.encodeQueryComponent(name) + "=", parts.toArray(new Template.Part[0])));
    }
    return new QueryRewriter(drop.toArray(new byte[0][]), sets);
  }

  private static String checkName(String name, String what) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException(what + ": empty parameter name");
    }
    return name;
  }

  /** Whether {@link #rewrite} always returns its argument. */
  public boolean isIdentity() {
    return this == IDENTITY;
  }

  /**
   * @param rawQuery the client's raw query, without {@code ?}; may be {@code null}
   * @param params   the path parameters of the match, for {@code {param}} in {@code setQuery} values
   * @return the upstream query without {@code ?}, or {@code null} for none
   */
  public String rewrite(String rawQuery, PathParams params) {
    if (this == IDENTITY) {
      return rawQuery;
    }
    StringBuilder sb = null;
    boolean droppedAny = false;
    if (rawQuery != null) {
      int n = rawQuery.length();
      int start = 0;
      while (start <= n) { // start == n: the empty piece after a trailing '&' (or of an empty query)
        int end = rawQuery.indexOf('&', start);
        if (end < 0) {
          end = n;
        }
        if (end == start || isDropped(rawQuery, start, end)) {
          droppedAny = true;
        } else {
          sb = sb == null ? new StringBuilder(n + 32) : sb.append('&');
          sb.append(rawQuery, start, end);
        }
        start = end + 1;
      }
    }
    if (!droppedAny && setParams.length == 0) {
      return rawQuery;
    }
    for (SetParam set : setParams) {
      sb = sb == null ? new StringBuilder(32) : sb.append('&');
      sb.append(set.encodedNameEq());
      for (Template.Part part : set.value()) {
        sb.append(part.kind() == Template.Kind.LITERAL
            ? part.text()
            : PercentCodec.encodeQueryComponent(decodedParam(params, part.text())));
      }
    }
    return sb == null ? null : sb.toString();
  }

  /** True when a name in the piece {@code q[start, end)}, or after a {@code ;} in it, must not be forwarded. */
  private boolean isDropped(String q, int start, int end) {
    int pos = start;
    while (true) {
      int stop = pos;
      while (stop < end && q.charAt(stop) != ';' && q.charAt(stop) != '=') {
        stop++;
      }
      for (byte[] name : dropNames) {
        if (PercentCodec.queryNameMatches(q, pos, stop, name)) {
          return true;
        }
      }
      int semi = q.indexOf(';', stop);
      if (semi < 0 || semi >= end) {
        return hiddenBehindEncodedSeparator(q, start, end);
      }
      pos = semi + 1;
    }
  }

  /**
   * True when a dropped name follows an encoded {@code &} or {@code ;} ({@code %26}, {@code %3B}) in the piece:
   * a parser that decodes the whole query before splitting it (some do) would read a parameter there.
   */
  private boolean hiddenBehindEncodedSeparator(String q, int start, int end) {
    for (int i = q.indexOf('%', start); i >= 0 && i + 2 < end; i = q.indexOf('%', i + 1)) {
      char hi = q.charAt(i + 1);
      char lo = Character.toUpperCase(q.charAt(i + 2));
      if (hi == '2' && lo == '6' || hi == '3' && lo == 'B') {
        for (byte[] name : dropNames) {
          if (PercentCodec.queryNameMatches(q, i + 3, end, name)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private static String decodedParam(PathParams params, String name) {
    String value = params.decoded(name);
    if (value == null) {
      throw new IllegalArgumentException("no path parameter '" + name + "' in " + params);
    }
    return value;
  }
}
