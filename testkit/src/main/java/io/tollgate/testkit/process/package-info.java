/** Child JVMs for tests: {@link io.tollgate.testkit.process.JavaProcess}. */
package io.tollgate.testkit.process;
