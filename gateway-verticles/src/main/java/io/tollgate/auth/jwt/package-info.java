/**
 * JWT verification for the data path: pure computation (no I/O, no Vert.x instance), fail-closed, cheap enough
 * for the event loop.
 *
 * <p>Per issuer, on the control plane (config load, JWKS refresh): an immutable
 * {@link io.tollgate.auth.jwt.IssuerPolicy} and an immutable {@link io.tollgate.auth.jwt.KeySet}
 * ({@code KeySet.fromJwks} for RS256/PS256/ES256/EdDSA, {@code KeySet.hmac} for HS256), both shared by every
 * event loop; a refresh replaces the {@code KeySet} whole (cached verifications survive a refresh that keeps
 * the verifying key, see {@link io.tollgate.auth.jwt.VerifiedTokenCache}).
 *
 * <p>Per request, on the event loop:
 * <pre>{@code
 * // once per event loop: the cache is confined to its thread; the verifier may be shared
 * VerifiedTokenCache tokens = new VerifiedTokenCache(verifier);
 *
 * JwtResult result = tokens.verify(bearerToken, policy, currentKeys, Instant.now());
 * if (result instanceof JwtResult.Valid valid) {
 *   Set<String> roles = valid.jwt().strings("realm_access.roles");
 *   String user = valid.jwt().subject();
 * } else if (result instanceof JwtResult.Invalid invalid) {
 *   // 401 + WWW-Authenticate: Bearer error="invalid_token" (431 may answer TOO_LARGE);
 *   // count invalid.reason(), log invalid.detail(); never log the token
 * }
 * }</pre>
 *
 * <p>What is never done, whatever the token says (RFC 8725): take the algorithm from the token beyond the pinned
 * set, accept {@code none}, fetch or trust keys named by {@code jku}, {@code x5u}, {@code jwk} or {@code x5c},
 * use a public key as an HMAC secret, try every key when {@code kid} does not match, read a claim before the
 * signature verified, or accept a token without {@code exp}.
 */
package io.tollgate.auth.jwt;
