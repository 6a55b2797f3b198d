package io.tollgate.events.ownership;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import io.tollgate.events.ownership.MalformedEventException.Reason;
import java.io.IOException;

/**
 * One pass of Jackson's streaming parser over a record value: the known members are collected into a
 * {@link Members}, unknown ones skipped (forward compatibility), and only then is the event type chosen, because
 * JSON members come in any order. Allocates the parser (its buffers are recycled per thread), the member strings
 * and the event.
 */
final class EventReader {

  /** Thread-safe once built. Unknown members may nest, but not deeper than this. */
  private static final JsonFactory JSON = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32).build())
      .build();

  private EventReader() {
  }

  static OwnershipEvent read(byte[] key, byte[] value) throws MalformedEventException {
    Members members = new Members();
    try (JsonParser parser = JSON.createParser(value)) {
      JsonToken first = parser.nextToken();
      if (first != JsonToken.START_OBJECT) {
        throw new MalformedEventException(Reason.NOT_JSON, null,
            "expected a JSON object, found " + (first == null ? "nothing" : Members.describe(first)));
      }
      String name;
      while ((name = parser.nextFieldName()) != null) {
        JsonToken token = parser.nextToken();
        members.accept(name, token, parser);
        if (token.isStructStart()) {
          parser.skipChildren();
        }
      }
      if (parser.nextToken() != null) {
        throw new MalformedEventException(Reason.NOT_JSON, null, "content after the JSON object");
      }
    } catch (IOException e) {
      // JsonProcessingException for bad syntax or encoding; other IOExceptions cannot happen on a byte array.
      throw new MalformedEventException(Reason.NOT_JSON, null, originalMessage(e));
    }
    return members.toEvent(key);
  }

  private static String originalMessage(IOException e) {
    return e instanceof com.fasterxml.jackson.core.JsonProcessingException processing
        ? processing.getOriginalMessage() : e.toString();
  }
}
