package io.tollgate.testkit.peers;

import io.vertx.core.buffer.Buffer;

/** What a {@link Behaviour} puts in the response body. Immutable. */
sealed interface ResponseBody {

  /** A body whose bytes are known up front and can be read in chunks at any offset. */
  sealed interface ChunkSource extends ResponseBody {

    long length();

    Buffer read(long offset, int length);
  }

  /** A fixed body; the buffer is a private copy. */
  record Fixed(Buffer content) implements ChunkSource {

    public Fixed {
      content = content.copy();
    }

    @Override
    public long length() {
      return content.length();
    }

    @Override
    public Buffer read(long offset, int length) {
      return content.getBuffer((int) offset, (int) offset + length);
    }
  }

  /** {@code length} bytes of {@link DeterministicBytes}, generated chunk by chunk. */
  record Generated(long length) implements ChunkSource {

    @Override
    public Buffer read(long offset, int length) {
      return DeterministicBytes.slice(offset, length);
    }
  }

  /** The request body, streamed back as it arrives. */
  record Echo() implements ResponseBody {}

  /** A JSON description of the request, sent once the request body has arrived. */
  record EchoJson() implements ResponseBody {}
}
