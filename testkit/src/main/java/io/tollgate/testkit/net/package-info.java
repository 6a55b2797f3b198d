/**
 * Network helpers for tests: {@link io.tollgate.testkit.net.FreePorts}, and
 * {@link io.tollgate.testkit.net.ToxicProxy}, a TCP proxy that adds latency, resets, black holes or refuses
 * connections on command.
 */
package io.tollgate.testkit.net;
