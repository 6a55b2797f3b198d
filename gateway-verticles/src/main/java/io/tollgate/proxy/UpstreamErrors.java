package io.tollgate.proxy;

import io.netty.channel.ConnectTimeoutException;
import io.tollgate.pipeline.GatewayFailure;
import io.tollgate.problem.ProblemType;
import io.vertx.core.VertxException;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.StreamResetException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.TimeoutException;

/**
 * Maps what went wrong talking to an upstream onto the answer the client gets. Details name the service, never
 * its internal address.
 *
 * <ul>
 *   <li>connection refused, no route, unknown host → 503 (nothing is listening: the service is unavailable)</li>
 *   <li>connect timeout → 504</li>
 *   <li>reset, closed, malformed response → 502</li>
 * </ul>
 */
public final class UpstreamErrors {

  private UpstreamErrors() {
  }

  /** Failure while obtaining a connection / sending the request head. */
  public static GatewayFailure onConnect(String service, Throwable cause) {
    if (cause instanceof ConnectTimeoutException || cause instanceof TimeoutException
        || isTimeoutMessage(cause)) {
      return GatewayFailure.of(ProblemType.GATEWAY_TIMEOUT,
          "connecting to service '" + service + "' timed out");
    }
    if (cause instanceof ConnectException || cause instanceof NoRouteToHostException
        || cause instanceof UnknownHostException || cause.getCause() instanceof ConnectException) {
      return GatewayFailure.of(ProblemType.UPSTREAM_UNAVAILABLE,
          "service '" + service + "' is not accepting connections");
    }
    return onExchange(service, cause);
  }

  /** Failure after the request was on its way but before response headers arrived. */
  public static GatewayFailure onExchange(String service, Throwable cause) {
    String what;
    if (cause instanceof StreamResetException || cause instanceof HttpClosedException
        || cause instanceof ClosedChannelException) {
      what = "closed the connection without a response";
    } else if (cause instanceof VertxException || cause instanceof IllegalArgumentException
        || cause.getClass().getName().startsWith("io.netty.handler.codec")) {
      what = "sent an invalid response";
    } else {
      what = "failed: " + cause.getClass().getSimpleName();
    }
    return GatewayFailure.of(ProblemType.BAD_GATEWAY, "service '" + service + "' " + what);
  }

  /** The upstream did not send response headers within the route's response timeout. */
  public static GatewayFailure responseTimeout(String service, long timeoutMs) {
    return GatewayFailure.of(ProblemType.GATEWAY_TIMEOUT,
        "service '" + service + "' did not respond within " + timeoutMs + " ms");
  }

  private static boolean isTimeoutMessage(Throwable cause) {
    String m = cause.getMessage();
    return m != null && m.contains("timeout period") && m.contains("exceeded");
  }
}
