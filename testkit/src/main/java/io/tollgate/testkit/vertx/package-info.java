/**
 * Vert.x test support: {@link io.tollgate.testkit.vertx.BlockedThreadGuard} fails tests that block an event
 * loop; {@link io.tollgate.testkit.vertx.Await} blocks test threads on futures with a deadline.
 */
package io.tollgate.testkit.vertx;
