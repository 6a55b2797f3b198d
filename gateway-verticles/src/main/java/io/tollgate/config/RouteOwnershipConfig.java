package io.tollgate.config;

/**
 * A route's ownership rule ({@code routes[i].ownership}): the caller must own {@code resource:<id>} per the
 * replica, where {@code <id>} is the path parameter {@code idParam}; otherwise 404 (existence is never revealed).
 *
 * @param resource    the resource type, e.g. {@code monitor}
 * @param idParam     the path parameter holding the id; default: the route's only parameter
 * @param ownerClaim  the claim compared exactly with the recorded owner; default {@code sub}
 * @param tenantClaim when set, the recorded tenant must equal this claim too; default none
 */
public record RouteOwnershipConfig(String resource, String idParam, String ownerClaim, String tenantClaim) {
}
