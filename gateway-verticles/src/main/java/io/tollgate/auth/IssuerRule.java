package io.tollgate.auth;

import io.tollgate.auth.jwt.IssuerPolicy;

/**
 * An issuer as one route accepts it: its configured name (to find its keys), the verification policy (audiences
 * possibly narrowed by the route) and where its scopes and roles live in the token.
 */
record IssuerRule(String name, IssuerPolicy policy, String scopesClaim, String rolesClaim) {
}
