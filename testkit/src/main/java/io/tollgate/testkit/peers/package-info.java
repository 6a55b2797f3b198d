/**
 * Real network peers for integration tests: {@link io.tollgate.testkit.peers.UpstreamPeer}, a programmable
 * HTTP/1.1 upstream that records what reached it, and {@link io.tollgate.testkit.peers.RawPeer}, a TCP peer
 * for answers no HTTP library would send.
 */
package io.tollgate.testkit.peers;
