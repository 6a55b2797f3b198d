package io.tollgate.config;

import io.tollgate.config.ApiKeysConfig.ApiKeyConfig;
import io.tollgate.config.RouteAuthConfig.CredentialKind;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Binds the root {@code auth:} section (issuers, API keys) and each route's {@code auth:} rule. */
final class AuthBinder {

  private static final Set<String> ALGORITHMS = Set.of("RS256", "PS256", "ES256", "EdDSA", "HS256");
  private static final Pattern KEY_HASH = Pattern.compile("(hmac-sha256|sha256):[0-9a-f]{64}");
  private static final int MIN_SECRET_BYTES = 32;
  private static final Set<String> UNMAPPABLE_HEADERS = Set.of(
      "connection", "content-length", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding",
      "upgrade", "host");

  private AuthBinder() {
  }

  /** The root {@code auth:} section; {@link AuthConfig#NONE} when absent. */
  static AuthConfig auth(Fields root) {
    if (root.get("auth") == null) {
      return AuthConfig.NONE;
    }
    Fields f = root.section("auth", "issuers", "apiKeys", "maxTokenSize");
    return new AuthConfig(issuers(f.get("issuers")), apiKeys(f),
        f.size("maxTokenSize", AuthConfig.DEFAULT_MAX_TOKEN_SIZE, 256, 1 << 20));
  }

  private static List<IssuerConfig> issuers(ConfigNode node) {
    List<IssuerConfig> issuers = new ArrayList<>();
    Map<String, String> firstPath = new HashMap<>();
    for (ConfigNode item : node == null ? List.<ConfigNode>of() : node.list()) {
      IssuerConfig issuer = issuer(item);
      String first = issuer.name() == null ? null : firstPath.putIfAbsent(issuer.name(), item.path());
      if (first != null) {
        item.error("duplicate issuer name '" + issuer.name() + "' (first at " + first + ")");
      }
      issuers.add(issuer);
    }
    return issuers;
  }

  private static IssuerConfig issuer(ConfigNode node) {
    Fields f = node.fields("name", "issuer", "discovery", "jwksUri", "hs256Secret", "algorithms", "audiences",
        "leeway", "minRefresh", "maxRefresh", "scopesClaim", "rolesClaim");
    String name = name(f.required("name"), "issuer");
    String issuer = f.string("issuer", null);
    String discovery = url(f.get("discovery"));
    String jwksUri = url(f.get("jwksUri"));
    String secret = f.string("hs256Secret", null);
    int given = (f.get("discovery") != null ? 1 : 0) + (f.get("jwksUri") != null ? 1 : 0)
        + (f.get("hs256Secret") != null ? 1 : 0);
    if (given != 1) {
      f.error("jwksUri", given == 0 ? "one of discovery, jwksUri or hs256Secret is required"
          : "give exactly one of discovery, jwksUri or hs256Secret");
    }
    if (issuer == null && discovery == null) {
      f.error("issuer", "is required (unless discovery provides it)");
    }
    if (secret != null && secret.getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
      f.error("hs256Secret", "must be at least " + MIN_SECRET_BYTES + " bytes");
    }
    Set<String> algorithms = algorithms(f.get("algorithms"), secret != null);
    Duration min = f.positiveDuration("minRefresh", Duration.ofSeconds(30));
    Duration max = f.positiveDuration("maxRefresh", Duration.ofMinutes(10));
    if (min.compareTo(max) > 0) {
      f.error("minRefresh", "must not exceed maxRefresh (" + max + ")");
    }
    return new IssuerConfig(name, issuer, discovery, jwksUri, secret, algorithms, strings(f.get("audiences")),
        f.duration("leeway", Duration.ofSeconds(30)), min, max, f.string("scopesClaim", "scope"),
        f.string("rolesClaim", "roles"));
  }

  private static Set<String> algorithms(ConfigNode node, boolean hmac) {
    if (node == null) {
      return Set.of(hmac ? "HS256" : "RS256");
    }
    Set<String> algorithms = new LinkedHashSet<>();
    for (ConfigNode item : node.list()) {
      String alg = item.string();
      if (alg == null) {
        continue;
      }
      if (!ALGORITHMS.contains(alg)) {
        item.error("unsupported algorithm '" + alg + "' (expected one of: RS256, PS256, ES256, EdDSA, HS256)");
      } else if (alg.equals("HS256") != hmac) {
        item.error(hmac ? "an hs256Secret issuer verifies HS256 only"
            : "HS256 needs hs256Secret (JWKS keys are never used as HMAC secrets)");
      } else {
        algorithms.add(alg);
      }
    }
    if (node.list().isEmpty()) {
      node.error("must list at least one algorithm");
    }
    return algorithms;
  }

  private static ApiKeysConfig apiKeys(Fields auth) {
    if (auth.get("apiKeys") == null) {
      return ApiKeysConfig.NONE;
    }
    Fields f = auth.section("apiKeys", "header", "pepper", "keys");
    String header = f.string("header", ApiKeysConfig.DEFAULT_HEADER);
    if (!Syntax.isToken(header)) {
      f.error("header", "invalid header name");
    }
    String pepper = f.string("pepper", null);
    List<ApiKeyConfig> keys = new ArrayList<>();
    ConfigNode list = f.get("keys");
    for (ConfigNode item : list == null ? List.<ConfigNode>of() : list.list()) {
      Fields k = item.fields("consumer", "hash", "scopes");
      // A consumer may hold several keys (rotation: the new key is issued before the old one is revoked).
      String consumer = name(k.required("consumer"), "consumer");
      ConfigNode hashNode = k.required("hash");
      String hash = hashNode == null ? null : hashNode.string();
      if (hash != null && !KEY_HASH.matcher(hash).matches()) {
        hashNode.error("must be hmac-sha256:<64 hex digits> or sha256:<64 hex digits> (never the key itself)");
      } else if (hash != null && hash.startsWith("hmac-") && pepper == null) {
        hashNode.error("an hmac-sha256 hash needs apiKeys.pepper");
      } else if (hash != null && hash.startsWith("sha256:") && pepper != null) {
        // One scheme per store: with a pepper every key is checked as hmac-sha256, so this key would never match.
        hashNode.error("a sha256 hash cannot be used while apiKeys.pepper is set (hash keys as hmac-sha256)");
      }
      keys.add(new ApiKeyConfig(consumer, hash, strings(k.get("scopes"))));
    }
    return new ApiKeysConfig(header, pepper, keys, f.get("keys") != null);
  }

  /**
   * A route's {@code auth:}: {@code public}, a mapping, or absent (authenticated under {@code /api/}, else public).
   */
  static RouteAuthConfig route(Fields route, String path, AuthConfig auth) {
    ConfigNode node = route.get("auth");
    RouteAuthConfig rule;
    if (node == null) {
      rule = isApiPath(path) ? RouteAuthConfig.authenticated() : RouteAuthConfig.PUBLIC;
    } else if (!node.isMapping()) {
      String text = node.string();
      if (text != null && !text.equals("public")) {
        node.error("expected 'public' or a mapping (accept, issuers, audiences, scopes, roles, claimHeaders)");
      }
      return RouteAuthConfig.PUBLIC;
    } else {
      rule = rule(node, auth);
    }
    if (!rule.isPublic()) {
      checkSatisfiable(route, node, rule, auth, path);
    }
    return rule;
  }

  private static boolean isApiPath(String path) {
    return path != null && (path.equals("/api") || path.startsWith("/api/"));
  }

  private static RouteAuthConfig rule(ConfigNode node, AuthConfig auth) {
    Fields f = node.fields("accept", "issuers", "audiences", "scopes", "roles", "claimHeaders");
    Set<CredentialKind> accept = new LinkedHashSet<>();
    ConfigNode acceptNode = f.get("accept");
    for (ConfigNode item : acceptNode == null ? List.<ConfigNode>of() : acceptNode.list()) {
      String kind = item.string();
      if ("jwt".equals(kind)) {
        accept.add(CredentialKind.JWT);
      } else if ("api-key".equals(kind)) {
        accept.add(CredentialKind.API_KEY);
      } else if (kind != null) {
        item.error("unknown credential kind '" + kind + "' (expected jwt or api-key)");
      }
    }
    if (acceptNode == null) {
      accept.addAll(Set.of(CredentialKind.values()));
    }
    List<String> issuers = strings(f.get("issuers"));
    Set<String> known = new LinkedHashSet<>();
    auth.issuers().forEach(i -> known.add(i.name()));
    ConfigNode issuersNode = f.get("issuers");
    for (int i = 0; i < issuers.size(); i++) {
      if (!known.contains(issuers.get(i))) {
        issuersNode.list().get(i).error("unknown issuer '" + issuers.get(i) + "'"
            + (known.isEmpty() ? " (auth.issuers is empty)" : " (declared: " + String.join(", ", known) + ")"));
      }
    }
    return new RouteAuthConfig(false, accept, issuers, strings(f.get("audiences")), strings(f.get("scopes")),
        strings(f.get("roles")), claimHeaders(f.get("claimHeaders")));
  }

  private static void checkSatisfiable(Fields route, ConfigNode node, RouteAuthConfig rule, AuthConfig auth,
      String path) {
    boolean jwt = rule.accept().contains(CredentialKind.JWT) && !auth.issuers().isEmpty();
    boolean keys = rule.accept().contains(CredentialKind.API_KEY) && auth.apiKeys().usable();
    if (!jwt && !keys) {
      String why = node == null ? "requires authentication (the default for routes under /api/)"
          : "requires authentication";
      route.error("auth", why + " but no accepted credential kind is configured in auth: (issuers / apiKeys);"
          + " configure one, or declare `auth: public` for " + path);
    }
  }

  private static Map<String, String> claimHeaders(ConfigNode node) {
    Map<String, String> headers = new LinkedHashMap<>();
    if (node == null) {
      return headers;
    }
    node.entries().forEach((claim, value) -> {
      String header = value.string();
      if (header == null) {
        return;
      }
      if (!Syntax.isToken(header)) {
        value.error("invalid header name '" + header + "'");
      } else if (UNMAPPABLE_HEADERS.contains(header.toLowerCase(Locale.ROOT))) {
        value.error("cannot map a claim to " + header + ": the proxy manages that header");
      } else if (headers.containsValue(header)) {
        value.error("header '" + header + "' is already mapped from another claim");
      } else {
        headers.put(claim, header);
      }
    });
    return headers;
  }

  private static String name(ConfigNode node, String what) {
    String name = node == null ? null : node.string();
    if (name != null && !Syntax.isName(name)) {
      node.error("invalid " + what + " '" + name + "' (" + Syntax.NAME_RULE + ")");
    }
    return name;
  }

  private static String url(ConfigNode node) {
    String url = node == null ? null : node.string();
    if (url == null) {
      return null;
    }
    try {
      TargetUrls.parse(url);
    } catch (IllegalArgumentException e) {
      node.error(e.getMessage());
    }
    return url;
  }

  private static List<String> strings(ConfigNode node) {
    List<String> values = new ArrayList<>();
    for (ConfigNode item : node == null ? List.<ConfigNode>of() : node.list()) {
      String s = item.string();
      if (s != null && !s.isEmpty()) {
        values.add(s);
      } else if (s != null) {
        item.error("must not be empty");
      }
    }
    return values;
  }
}
