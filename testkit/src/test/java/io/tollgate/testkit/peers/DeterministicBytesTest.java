package io.tollgate.testkit.peers;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

class DeterministicBytesTest {

  @Test
  void slicesAgreeWithTheBytePatternAcrossPeriodAndChunkBoundaries() {
    long offset = DeterministicBytes.CHUNK_SIZE - 300L;
    Buffer slice = DeterministicBytes.slice(offset, DeterministicBytes.CHUNK_SIZE + 1000);

    for (int i = 0; i < slice.length(); i++) {
      assertThat(slice.getByte(i)).isEqualTo(DeterministicBytes.at(offset + i));
    }
  }

  @Test
  void digestDependsOnLength() {
    assertThat(DeterministicBytes.sha256(0))
        .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    assertThat(DeterministicBytes.sha256(100_000)).isNotEqualTo(DeterministicBytes.sha256(100_001));
  }
}
