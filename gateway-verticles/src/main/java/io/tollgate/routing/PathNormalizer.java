package io.tollgate.routing;

import io.tollgate.config.ListenerConfig.EscapedSlashes;
import java.util.Objects;

/**
 * Turns a raw origin-form request path into the one canonical path that is both matched against routes and
 * forwarded upstream, so that the gateway and the upstream can never disagree about which resource is meant.
 *
 * <p>Rules, in order of application:
 * <ul>
 *   <li>The path must start with {@code /} (so {@code *}, absolute-form and empty targets are rejected). It must
 *       not contain a query; the caller splits at {@code ?} first.</li>
 *   <li>Percent-encoding is validated ({@code %} + two hex digits). Escapes of unreserved characters
 *       (RFC 3986 §2.3: {@code A-Z a-z 0-9 - . _ ~}) are decoded, since RFC 3986 §6.2.2.2 makes them equivalent;
 *       every other escape is kept with upper-case hex (§6.2.2.1). {@code %00} is rejected.</li>
 *   <li>{@code %2F} and {@code %5C} (any case) are rejected under {@link EscapedSlashes#REJECT} and kept, upper-cased,
 *       as ordinary segment characters under {@link EscapedSlashes#KEEP}; they are never decoded into separators.</li>
 *   <li>Raw characters outside RFC 3986 {@code pchar} (controls, space, {@code " # < > ? [ ] ^ ` { | }}, DEL,
 *       non-ASCII) are rejected. A raw backslash is a separator, as upstreams on Windows or behind some
 *       frameworks would treat it.</li>
 *   <li>Runs of {@code /} collapse to one; {@code .} and {@code ..} segments, including ones spelled
 *       {@code %2e} / {@code %2E%2e}, are removed per RFC 3986 §5.2.4; {@code ..} above the root stays at the
 *       root. A trailing slash is preserved: {@code /a/b/} and {@code /a/b/.} give {@code /a/b/},
 *       {@code /a/..} gives {@code /}.</li>
 * </ul>
 *
 * <p>Decoding happens exactly once, so {@code %252e} stays {@code %252E} and never becomes a dot segment. The result
 * is itself canonical: {@code normalize(normalize(p))} returns its argument unchanged.
 *
 * <p>Fast path: a path that is already canonical (the common case) is checked in one pass and returned as the
 * same {@code String} instance without allocating. Stateless and thread-safe.
 */
public final class PathNormalizer {

  private PathNormalizer() {
  }

  /**
   * @param rawPath the raw request-target path, without query
   * @param mode    policy for {@code %2F} / {@code %5C}
   * @return the canonical path; {@code rawPath} itself when it is already canonical
   * @throws BadPathException when the path must be answered with 400
   */
  public static String normalize(String rawPath, EscapedSlashes mode) throws BadPathException {
    Objects.requireNonNull(mode, "mode");
    if (rawPath == null || rawPath.isEmpty() || rawPath.charAt(0) != '/') {
      throw new BadPathException("path must start with '/'");
    }
    boolean keepSlashes = mode == EscapedSlashes.KEEP;
    return isCanonical(rawPath, keepSlashes) ? rawPath : rewrite(rawPath, keepSlashes);
  }

  /** One read-only pass: true when {@link #rewrite} would return an equal string. */
  private static boolean isCanonical(String p, boolean keepSlashes) {
    int n = p.length();
    int segStart = 1;
    for (int i = 1; i < n; i++) {
      char c = p.charAt(i);
      if (c == '/') {
        if (i == segStart || isDotSegment(p, segStart, i) || isDotWithParameters(p, segStart, i)) {
          return false;
        }
        segStart = i + 1;
      } else if (c == '%') {
        if (i + 2 >= n) {
          return false;
        }
        int hi = upperHex(p.charAt(i + 1));
        int lo = upperHex(p.charAt(i + 2));
        if (hi < 0 || lo < 0) {
          return false;
        }
        int v = hi << 4 | lo;
        if (v == 0 || PercentCodec.isUnreserved(v) || (!keepSlashes && (v == '/' || v == '\\'))) {
          return false;
        }
        i += 2;
      } else if (!PercentCodec.isPchar(c)) {
        return false;
      }
    }
    return !isDotSegment(p, segStart, n) && !isDotWithParameters(p, segStart, n);
  }

  /**
   * The general case. Writes into a buffer no longer than the input (decoding only shrinks); {@code out} always
   * sits just after a {@code /} when a segment starts, so removing segments is moving {@code out} back.
   */
  private static String rewrite(String p, boolean keepSlashes) {
    int n = p.length();
    char[] buf = new char[n];
    buf[0] = '/';
    int out = 1;
    int i = 1;
    while (true) {
      int segStart = out;
      while (i < n) {
        char c = p.charAt(i);
        if (c == '/' || c == '\\') {
          break;
        }
        if (c == '%') {
          out = writeEscape(p, i, buf, out, keepSlashes);
          i += 3;
        } else if (PercentCodec.isPchar(c)) {
          buf[out++] = c;
          i++;
        } else {
          throw new BadPathException("invalid character in path");
        }
      }
      boolean more = i < n;
      int segLen = out - segStart;
      if (segLen >= 2 && buf[segStart] == '.' && (buf[segStart + 1] == ';'
          || (buf[segStart + 1] == '.' && segLen >= 3 && buf[segStart + 2] == ';'))) {
        // "..;x" is a dot segment to Tomcat and friends, which drop ";params" before resolving dots: the
        // well-known "..;/" route escape. Nothing legitimate needs it.
        throw new BadPathException("dot segment with parameters");
      }
      if (segLen == 1 && buf[segStart] == '.') {
        out = segStart;
      } else if (segLen == 2 && buf[segStart] == '.' && buf[segStart + 1] == '.') {
        out = segStart;
        if (out > 1) {
          out--;
          while (buf[out - 1] != '/') {
            out--;
          }
        }
      } else if (segLen > 0 && more) {
        buf[out++] = '/';
      }
      if (!more) {
        return new String(buf, 0, out);
      }
      i++;
    }
  }

  private static int writeEscape(String p, int i, char[] buf, int out, boolean keepSlashes) {
    if (i + 2 >= p.length()) {
      throw new BadPathException("invalid percent-encoding");
    }
    int hi = PercentCodec.hex(p.charAt(i + 1));
    int lo = PercentCodec.hex(p.charAt(i + 2));
    if (hi < 0 || lo < 0) {
      throw new BadPathException("invalid percent-encoding");
    }
    int v = hi << 4 | lo;
    if (v == 0) {
      throw new BadPathException("encoded NUL");
    }
    if (PercentCodec.isUnreserved(v)) {
      buf[out++] = (char) v;
      return out;
    }
    if ((v == '/' || v == '\\') && !keepSlashes) {
      throw new BadPathException("encoded slash");
    }
    buf[out++] = '%';
    buf[out++] = PercentCodec.HEX_UPPER[hi];
    buf[out++] = PercentCodec.HEX_UPPER[lo];
    return out;
  }

  /** True for {@code .;…} and {@code ..;…}: a dot segment once a server strips path parameters. */
  private static boolean isDotWithParameters(String p, int start, int end) {
    int len = end - start;
    if (len < 2 || p.charAt(start) != '.') {
      return false;
    }
    char second = p.charAt(start + 1);
    return second == ';' || (second == '.' && len >= 3 && p.charAt(start + 2) == ';');
  }

  private static boolean isDotSegment(String p, int start, int end) {
    int len = end - start;
    return (len == 1 && p.charAt(start) == '.')
        || (len == 2 && p.charAt(start) == '.' && p.charAt(start + 1) == '.');
  }

  private static int upperHex(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
  }
}
