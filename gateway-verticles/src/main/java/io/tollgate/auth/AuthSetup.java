package io.tollgate.auth;

import io.tollgate.auth.apikey.ApiKeyHasher;
import io.tollgate.auth.apikey.ApiKeyStore;
import io.tollgate.auth.apikey.StoredApiKey;
import io.tollgate.auth.jwt.IssuerPolicy;
import io.tollgate.auth.jwt.JwsAlgorithm;
import io.tollgate.auth.keys.IssuerSource;
import io.tollgate.config.ApiKeysConfig;
import io.tollgate.config.AuthConfig;
import io.tollgate.config.IssuerConfig;
import io.tollgate.config.RouteAuthConfig;
import io.tollgate.config.RouteAuthConfig.CredentialKind;
import io.tollgate.config.RouteConfig;
import io.tollgate.pipeline.Policy;
import java.nio.charset.StandardCharsets;
import io.tollgate.auth.jwt.JwtResult;
import io.tollgate.auth.jwt.JwtVerifier;
import io.tollgate.auth.jwt.KeySet;
import io.tollgate.auth.keys.AuthKeys;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code auth:} config compiled once per snapshot: the API-key store and, per issuer, where its keys come from
 * and how its tokens are checked. Turns a route's {@link RouteAuthConfig} into its policies.
 */
public final class AuthSetup {

  private final AuthConfig config;
  private final ApiKeyStore apiKeys;
  private final Map<String, IssuerSource> sources;

  private AuthSetup(AuthConfig config, ApiKeyStore apiKeys, Map<String, IssuerSource> sources) {
    this.config = config;
    this.apiKeys = apiKeys;
    this.sources = sources;
  }

  /** Compiles validated config; throws IllegalArgumentException only on a bug in validation. */
  public static AuthSetup compile(AuthConfig config) {
    Map<String, IssuerSource> sources = new LinkedHashMap<>();
    config.issuers().forEach(issuer -> sources.put(issuer.name(), source(issuer)));
    return new AuthSetup(config, apiKeyStore(config.apiKeys()), sources);
  }

  /** Where each issuer's keys come from, for {@code AuthKeysVerticle}. */
  public List<IssuerSource> sources() {
    return List.copyOf(sources.values());
  }

  /** The policies enforcing {@code route.auth()}: none for public routes, else authentication then authorization. */
  public List<Policy> policiesFor(RouteConfig route) {
    RouteAuthConfig rule = route.auth();
    if (rule == null || rule.isPublic()) {
      return List.of();
    }
    List<IssuerRule> issuers = new ArrayList<>();
    if (rule.accept().contains(CredentialKind.JWT)) {
      for (IssuerConfig issuer : config.issuers()) {
        if (rule.issuers().isEmpty() || rule.issuers().contains(issuer.name())) {
          issuers.add(issuerRule(issuer, rule));
        }
      }
    }
    ApiKeyStore keys = rule.accept().contains(CredentialKind.API_KEY) && apiKeys.size() > 0 ? apiKeys : null;
    List<Policy> policies = new ArrayList<>(2);
    policies.add(new AuthenticationPolicy(issuers, keys, config.apiKeys().header(), rule.claimHeaders()));
    if (!rule.scopes().isEmpty() || !rule.roles().isEmpty()) {
      policies.add(new AuthorizationPolicy(rule.scopes(), rule.roles()));
    }
    return policies;
  }

  /**
   * Verifies a bearer token of the named issuer for a caller outside the data plane (the Admin API): same pinned
   * algorithms, issuer, audiences, leeway and size limit as a route accepting that issuer, with the keys the keys
   * verticle published. Returns the verified token's subject and roles, or null when it is not valid.
   */
  public VerifiedCaller verify(String token, String issuerName, AuthKeys keys, Instant now) {
    for (IssuerConfig issuer : config.issuers()) {
      if (issuer.name().equals(issuerName)) {
        IssuerRule rule = issuerRule(issuer, RouteAuthConfig.authenticated());
        KeySet keySet = keys == null ? KeySet.empty()
            : keys.issuer(issuerName).map(k -> k.keys() == null ? KeySet.empty() : k.keys()).orElse(KeySet.empty());
        if (ADMIN_VERIFIER.verify(token, rule.policy(), keySet, now) instanceof JwtResult.Valid valid) {
          return new VerifiedCaller(valid.jwt().subject(), valid.jwt().strings(issuer.rolesClaim()));
        }
        return null;
      }
    }
    return null;
  }

  /** A verified token's subject and roles ({@code rolesClaim} of its issuer). */
  public record VerifiedCaller(String subject, Set<String> roles) {
  }

  private static final JwtVerifier ADMIN_VERIFIER = new JwtVerifier();

  private IssuerRule issuerRule(IssuerConfig issuer, RouteAuthConfig rule) {
    Set<String> audiences = new LinkedHashSet<>(rule.audiences().isEmpty() ? issuer.audiences() : rule.audiences());
    IssuerPolicy policy = IssuerPolicy.of(sources.get(issuer.name()).expectedIssuer(), audiences,
            algorithms(issuer.algorithms()))
        .withLeeway(issuer.leeway())
        .withMaxTokenBytes((int) config.maxTokenSize());
    return new IssuerRule(issuer.name(), policy, issuer.scopesClaim(), issuer.rolesClaim());
  }

  private static IssuerSource source(IssuerConfig issuer) {
    Set<JwsAlgorithm> algorithms = algorithms(issuer.algorithms());
    IssuerSource source;
    if (issuer.hs256Secret() != null) {
      source = IssuerSource.hmac(issuer.name(), issuer.issuer(), issuer.hs256Secret().getBytes(StandardCharsets.UTF_8));
    } else if (issuer.discovery() != null) {
      source = IssuerSource.discovery(issuer.name(), issuer.discovery(), algorithms);
      if (issuer.issuer() != null) {
        source = source.withIssuer(issuer.issuer());
      }
    } else {
      source = IssuerSource.jwks(issuer.name(), issuer.jwksUri(), issuer.issuer(), algorithms);
    }
    return source.withRefresh(issuer.minRefresh(), issuer.maxRefresh());
  }

  private static Set<JwsAlgorithm> algorithms(Set<String> names) {
    Set<JwsAlgorithm> algorithms = new LinkedHashSet<>();
    names.forEach(name -> algorithms.add(JwsAlgorithm.fromJose(name)));
    return algorithms;
  }

  private static ApiKeyStore apiKeyStore(ApiKeysConfig config) {
    ApiKeyHasher hasher = config.pepper() != null
        ? ApiKeyHasher.hmac(config.pepper().getBytes(StandardCharsets.UTF_8)) : ApiKeyHasher.sha256();
    List<StoredApiKey> keys = new ArrayList<>();
    for (ApiKeysConfig.ApiKeyConfig key : config.keys()) {
      keys.add(new StoredApiKey(key.consumer(), key.hash(), Set.copyOf(key.scopes())));
    }
    return ApiKeyStore.of(hasher, keys);
  }
}
