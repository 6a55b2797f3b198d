/** Network helpers for tests: {@link io.tollgate.testkit.net.FreePorts}. */
package io.tollgate.testkit.net;
