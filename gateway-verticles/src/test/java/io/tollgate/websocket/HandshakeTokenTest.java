package io.tollgate.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.config.WebSocketConfig;
import io.vertx.core.MultiMap;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class HandshakeTokenTest {

  private static final WebSocketConfig BOTH =
      new WebSocketConfig("access_token", "bearer.", 1024, Duration.ofMinutes(1), 10, 10);

  @Test
  void aTokenFromTheSubprotocolWinsOverTheQueryAndBecomesABearerHeader() {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Sec-WebSocket-Protocol", "chat, bearer.abc.def");
    HandshakeToken.promote(headers, "access_token=fromquery", BOTH);
    assertThat(headers.get("Authorization")).isEqualTo("Bearer abc.def");
    assertThat(HandshakeToken.withoutToken(HandshakeToken.offered(headers), "bearer.")).containsExactly("chat");
  }

  @Test
  void aQueryTokenIsDecodedAndAnAuthorizationHeaderIsNeverReplaced() {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    HandshakeToken.promote(headers, "x=1&access_token=a%2Bb", BOTH);
    assertThat(headers.get("Authorization")).isEqualTo("Bearer a+b");

    MultiMap withHeader = MultiMap.caseInsensitiveMultiMap().add("Authorization", "Bearer mine");
    HandshakeToken.promote(withHeader, "access_token=other", BOTH);
    assertThat(withHeader.get("Authorization")).isEqualTo("Bearer mine");
  }

  @Test
  void nothingIsTakenFromTheQueryOrSubprotocolsUnlessTheRouteSaysSo() {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Sec-WebSocket-Protocol", "bearer.abc");
    HandshakeToken.promote(headers, "access_token=x", WebSocketConfig.DEFAULT);
    assertThat(headers.contains("Authorization")).isFalse();
    assertThat(HandshakeToken.withoutToken(List.of("bearer.abc"), null)).containsExactly("bearer.abc");
  }
}
