package io.tollgate.config;

/**
 * One upstream instance ({@code services.<name>.targets[i]}).
 *
 * @param url      the original absolute URL as written (after {@code ${ENV:default}} substitution)
 * @param ssl      {@code true} for {@code https}
 * @param host     host name or address
 * @param port     port; defaults to 80 / 443 by scheme
 * @param basePath path prefix prepended to every forwarded path; {@code ""} when the URL has no path or {@code /}
 *                 (never ends with {@code /})
 */
public record TargetConfig(String url, boolean ssl, String host, int port, String basePath) {
}
