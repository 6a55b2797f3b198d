/**
 * A real Kubernetes API peer for tests: an HTTP/1.1 server over TLS ({@link io.tollgate.testkit.kubernetes.KubeApiServer})
 * that lists and watches EndpointSlices as kube-apiserver does, and a builder of EndpointSlice objects.
 */
package io.tollgate.testkit.kubernetes;
