package io.tollgate.observability;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import io.tollgate.testkit.vertx.Await;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A minimal OTLP trace receiver on 127.0.0.1, as a collector such as Jaeger runs it: OTLP/HTTP protobuf
 * ({@code POST /v1/traces}) and OTLP/gRPC ({@code TraceService/Export} over cleartext HTTP/2, length-prefixed
 * messages, {@code grpc-status} trailer) on one port. Keeps every span it decodes.
 */
final class OtlpReceiver {

  private static final String GRPC_EXPORT = "/opentelemetry.proto.collector.trace.v1.TraceService/Export";

  private final Queue<Span> spans = new ConcurrentLinkedQueue<>();
  private final AtomicInteger grpcExports = new AtomicInteger();
  private final HttpServer server;

  private OtlpReceiver(Vertx vertx, Duration timeout) {
    server = Await.result(vertx.createHttpServer().requestHandler(this::handle).listen(0, "127.0.0.1"), timeout);
  }

  static OtlpReceiver start(Vertx vertx, Duration timeout) {
    return new OtlpReceiver(vertx, timeout);
  }

  /** The base URL to configure as {@code tracing.otlp.endpoint}, for either protocol. */
  String endpoint() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  Queue<Span> spans() {
    return spans;
  }

  /** Export calls that arrived over gRPC. */
  int grpcExports() {
    return grpcExports.get();
  }

  private void handle(HttpServerRequest req) {
    boolean grpc = req.path().equals(GRPC_EXPORT);
    if (req.method() != HttpMethod.POST || !(grpc || req.path().equals("/v1/traces"))) {
      req.response().setStatusCode(404).end();
      return;
    }
    req.body().onSuccess(body -> {
      try {
        // gRPC frames each message: 1 byte compressed flag, 4 bytes length (gRPC over HTTP/2, "Length-Prefixed-Message").
        keep(ExportTraceServiceRequest.parseFrom(grpc ? body.getBytes(5, body.length()) : body.getBytes()));
      } catch (InvalidProtocolBufferException e) {
        req.response().setStatusCode(400).end();
        return;
      }
      if (grpc) {
        grpcExports.incrementAndGet();
        // An empty ExportTraceServiceResponse, framed; success is the grpc-status trailer.
        req.response().putHeader("content-type", "application/grpc").putTrailer("grpc-status", "0")
            .end(Buffer.buffer(new byte[5]));
      } else {
        req.response().putHeader("content-type", "application/x-protobuf").end();
      }
    });
  }

  private void keep(ExportTraceServiceRequest request) {
    request.getResourceSpansList().forEach(rs -> rs.getScopeSpansList().forEach(ss -> spans.addAll(ss.getSpansList())));
  }
}
