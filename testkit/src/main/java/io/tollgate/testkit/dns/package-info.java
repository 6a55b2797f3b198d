/**
 * {@link io.tollgate.testkit.dns.DnsServer}: a real, tiny authoritative DNS server over UDP whose answers a test
 * changes while the gateway resolves against it.
 */
package io.tollgate.testkit.dns;
