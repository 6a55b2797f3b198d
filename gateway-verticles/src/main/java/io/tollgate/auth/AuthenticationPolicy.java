package io.tollgate.auth;

import io.tollgate.auth.apikey.ApiKeyPrincipal;
import io.tollgate.auth.apikey.ApiKeyStore;
import io.tollgate.auth.jwt.JwtResult;
import io.tollgate.auth.jwt.VerifiedJwt;
import io.tollgate.pipeline.GatewayFailure;
import io.tollgate.pipeline.Outcome;
import io.tollgate.pipeline.Policy;
import io.tollgate.pipeline.RequestContext;
import io.tollgate.problem.ProblemType;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies the caller's credentials for one route: a bearer JWT from an accepted issuer, or an API key. On
 * success it stores the {@link Principal} and forwards the route's claim headers; otherwise it answers 401 with
 * {@code WWW-Authenticate: Bearer} (RFC 6750 §3) — {@code error="invalid_token"} when a credential was presented
 * and failed. The reason is logged at debug level and kept in the access log's {@code rejection}; the token never
 * is.
 *
 * <p>Runs synchronously on the event loop: verification uses keys already fetched by {@code AuthKeysVerticle}
 * (never a remote call per request) and a per-instance cache of verified tokens.
 */
final class AuthenticationPolicy implements Policy {

  private static final Logger LOG = LoggerFactory.getLogger(AuthenticationPolicy.class);
  private static final String CHALLENGE = "Bearer realm=\"tollgate\"";
  private static final String INVALID_TOKEN = CHALLENGE + ", error=\"invalid_token\"";

  private final List<IssuerRule> issuers;
  private final ApiKeyStore apiKeys;
  private final String apiKeyHeader;
  private final Map<String, String> claimHeaders;

  /**
   * @param issuers      accepted JWT issuers (empty = JWTs not accepted)
   * @param apiKeys      accepted API keys, or null when API keys are not accepted
   * @param claimHeaders claim path → upstream header
   */
  AuthenticationPolicy(List<IssuerRule> issuers, ApiKeyStore apiKeys, String apiKeyHeader,
      Map<String, String> claimHeaders) {
    this.issuers = List.copyOf(issuers);
    this.apiKeys = apiKeys;
    this.apiKeyHeader = apiKeyHeader;
    this.claimHeaders = Map.copyOf(claimHeaders);
  }

  @Override
  public String id() {
    return "authn";
  }

  @Override
  public Future<Outcome> onRequest(RequestContext ctx) {
    HttpServerRequest req = ctx.request();
    String authorization = issuers.isEmpty() ? null : req.getHeader(HttpHeaders.AUTHORIZATION);
    Principal principal;
    if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      // The size cap (auth.maxTokenSize) is the verifier's first check, before anything is decoded.
      principal = fromToken(ctx, authorization.substring(7).trim());
      if (principal == null) {
        return Outcome.respond(invalidToken());
      }
    } else if (apiKeys != null && req.getHeader(apiKeyHeader) != null) {
      Optional<ApiKeyPrincipal> key = apiKeys.lookup(req.getHeader(apiKeyHeader));
      if (key.isEmpty()) {
        return reject(ctx, "unknown-api-key", "the API key is not valid");
      }
      principal = new Principal(Principal.Kind.API_KEY, key.get().consumerId(), null, key.get().scopes(),
          Set.of(), null);
    } else {
      ctx.rejection("unauthorized:missing-credentials");
      ctx.get(AuthRuntime.KEY).count("auth.rejected.missing-credentials");
      return Outcome.respond(GatewayFailure.of(ProblemType.UNAUTHORIZED, "credentials are required")
          .withHeader("WWW-Authenticate", CHALLENGE));
    }
    ctx.put(Principal.KEY, principal);
    claimHeaders.forEach((claim, header) -> {
      String value = principal.claim(claim);
      if (value != null) {
        ctx.setUpstreamHeader(header, value);
      }
    });
    return Outcome.NEXT_FUTURE;
  }

  /** The principal for a valid token, or null (the reason is recorded on {@code ctx}). */
  private Principal fromToken(RequestContext ctx, String token) {
    IssuerRule issuer = issuerFor(token);
    AuthRuntime runtime = ctx.get(AuthRuntime.KEY);
    if (issuer == null) {
      ctx.rejection("unauthorized:unknown-issuer");
      runtime.count("auth.rejected.unknown-issuer");
      return null;
    }
    JwtResult result = runtime.verify(token, issuer);
    if (result instanceof JwtResult.Invalid invalid) {
      if (invalid.reason() == JwtResult.Reason.UNKNOWN_KEY) {
        runtime.unknownKey(issuer.name());
      }
      String reason = invalid.reason().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
      ctx.rejection("unauthorized:" + reason);
      runtime.count("auth.rejected." + reason);
      LOG.debug("request {}: token rejected: {} ({})", ctx.requestId(), invalid.reason(), invalid.detail());
      return null;
    }
    VerifiedJwt jwt = ((JwtResult.Valid) result).jwt();
    return new Principal(Principal.Kind.JWT, jwt.subject(), issuer.name(), jwt.strings(issuer.scopesClaim()),
        jwt.strings(issuer.rolesClaim()), jwt);
  }

  /**
   * The accepted issuer a token claims to come from. With one accepted issuer, that one (its verification checks
   * {@code iss}); with several, the unverified {@code iss} only chooses which keys to try.
   */
  private IssuerRule issuerFor(String token) {
    if (issuers.size() == 1) {
      return issuers.get(0);
    }
    String iss = unverifiedIssuer(token);
    for (IssuerRule rule : issuers) {
      if (rule.policy().issuer().equals(iss)) {
        return rule;
      }
    }
    return null;
  }

  private static String unverifiedIssuer(String token) {
    int first = token.indexOf('.');
    int second = first < 0 ? -1 : token.indexOf('.', first + 1);
    if (second < 0) {
      return null;
    }
    try {
      byte[] payload = Base64.getUrlDecoder().decode(token.substring(first + 1, second));
      return new JsonObject(io.vertx.core.buffer.Buffer.buffer(payload)).getString("iss");
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static Future<Outcome> reject(RequestContext ctx, String reason, String detail) {
    ctx.rejection("unauthorized:" + reason);
    ctx.get(AuthRuntime.KEY).count("auth.rejected." + reason);
    return Outcome.respond(GatewayFailure.of(ProblemType.UNAUTHORIZED, detail)
        .withHeader("WWW-Authenticate", INVALID_TOKEN));
  }

  private static GatewayFailure invalidToken() {
    return GatewayFailure.of(ProblemType.UNAUTHORIZED, "the bearer token is not valid")
        .withHeader("WWW-Authenticate", INVALID_TOKEN);
  }
}
