/**
 * Raw HTTP/1.1 over plain sockets: {@link io.tollgate.testkit.http.RawHttpClient} sends exactly the bytes a
 * framing or smuggling test needs and parses responses strictly.
 */
package io.tollgate.testkit.http;
