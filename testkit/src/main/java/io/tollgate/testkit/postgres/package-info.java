/**
 * Real PostgreSQL servers for tests: {@link io.tollgate.testkit.postgres.TestPostgres} resolves one (a URL
 * you give, Testcontainers, or an embedded server) and hands out a fresh database per test class.
 */
package io.tollgate.testkit.postgres;
