/** Real servers and peers for Tollgate's integration tests. */
package io.tollgate.testkit;
