/**
 * Token-based auth peers for integration tests: {@link io.tollgate.testkit.auth.TokenIssuer}, a real OIDC/JWKS
 * issuer that mints valid and deliberately broken JWTs with JDK crypto.
 */
package io.tollgate.testkit.auth;
