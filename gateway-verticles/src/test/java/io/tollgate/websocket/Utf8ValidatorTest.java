package io.tollgate.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Utf8ValidatorTest {

  @ParameterizedTest
  @ValueSource(strings = {"", "ascii", "héllo", "✓ check", "😀 emoji", "\u0000", "\uFFFF", "\uD7FF"})
  void validTextIsAcceptedInOnePieceAndByteByByte(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    Utf8Validator whole = new Utf8Validator();
    assertThat(whole.accept(Buffer.buffer(bytes)) && whole.endOfMessage()).isTrue();
    Utf8Validator split = new Utf8Validator();
    for (byte b : bytes) {
      assertThat(split.accept(Buffer.buffer(new byte[] {b}))).isTrue();
    }
    assertThat(split.endOfMessage()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "c328", // lead byte without continuation
      "80", // lone continuation
      "c0af", // overlong '/'
      "e080af", // overlong 3-byte
      "eda080", // UTF-16 surrogate
      "f4908080", // above U+10FFFF
      "ff", "fe"})
  void invalidSequencesAreRefused(String hex) {
    Utf8Validator v = new Utf8Validator();
    assertThat(v.accept(Buffer.buffer(java.util.HexFormat.of().parseHex(hex)))).isFalse();
  }

  @Test
  void aSequenceCutShortAtTheEndOfTheMessageIsInvalidButValidWhenContinued() {
    Utf8Validator v = new Utf8Validator();
    assertThat(v.accept(Buffer.buffer(new byte[] {'a', (byte) 0xe2, (byte) 0x9c}))).isTrue();
    assertThat(v.endOfMessage()).as("message ends inside ✓").isFalse();
    assertThat(v.accept(Buffer.buffer(new byte[] {(byte) 0xe2, (byte) 0x9c}))).isTrue();
    assertThat(v.accept(Buffer.buffer(new byte[] {(byte) 0x93}))).isTrue();
    assertThat(v.endOfMessage()).isTrue();
  }
}
