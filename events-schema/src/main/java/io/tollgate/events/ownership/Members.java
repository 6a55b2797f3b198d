package io.tollgate.events.ownership;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.tollgate.events.ownership.MalformedEventException.Reason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;

/**
 * The known members of one ownership event value as {@link EventReader} meets them, then the typed checks of
 * the event type they turn out to be. Members another type defines are not checked (a {@code tenantId} of the
 * wrong type on an {@code OwnershipRevoked} is an unknown member there, so it is ignored).
 */
final class Members {

  private static final int TYPE = 0;
  private static final int RESOURCE_TYPE = 1;
  private static final int RESOURCE_ID = 2;
  private static final int OWNER_ID = 3;
  private static final int TENANT_ID = 4;
  private static final int VERSION = 5;
  private static final int OCCURRED_AT = 6;
  private static final int PRODUCER = 7;
  private static final String[] NAMES =
      {"type", "resourceType", "resourceId", "ownerId", "tenantId", "version", "occurredAt", "producer"};

  private final String[] texts = new String[NAMES.length];
  private long version;
  /** Bit i: member i appeared; was null; had the wrong JSON type (then {@link #wrongTokens} says which). */
  private int present;
  private int nulls;
  private int wrong;
  private JsonToken[] wrongTokens;

  /** Records member {@code name} whose value starts with {@code token}; unknown names are ignored. */
  void accept(String name, JsonToken token, JsonParser parser) throws IOException, MalformedEventException {
    int index = index(name);
    if (index < 0) {
      return;
    }
    int bit = 1 << index;
    if ((present & bit) != 0) {
      throw new MalformedEventException(Reason.INVALID_FIELD, name, "appears more than once");
    }
    present |= bit;
    if (token == JsonToken.VALUE_NULL) {
      nulls |= bit;
    } else if (index == VERSION && token == JsonToken.VALUE_NUMBER_INT) {
      if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
        throw new MalformedEventException(Reason.INVALID_FIELD, name, "out of range: " + parser.getText());
      }
      version = parser.getLongValue();
    } else if (index != VERSION && token == JsonToken.VALUE_STRING) {
      texts[index] = parser.getText();
    } else {
      wrong |= bit;
      if (wrongTokens == null) {
        wrongTokens = new JsonToken[NAMES.length];
      }
      wrongTokens[index] = token;
    }
  }

  /** The event these members describe, checked against its schema and the record {@code key}. */
  OwnershipEvent toEvent(byte[] key) throws MalformedEventException {
    String type = required(TYPE);
    OwnershipEvent event;
    try {
      if (OwnershipAssigned.TYPE.equals(type)) {
        event = new OwnershipAssigned(required(RESOURCE_TYPE), required(RESOURCE_ID), required(OWNER_ID),
            optional(TENANT_ID), requiredVersion(), occurredAt(), required(PRODUCER));
      } else if (OwnershipRevoked.TYPE.equals(type)) {
        event = new OwnershipRevoked(required(RESOURCE_TYPE), required(RESOURCE_ID), optional(OWNER_ID),
            requiredVersion(), occurredAt(), required(PRODUCER));
      } else {
        throw new MalformedEventException(Reason.UNKNOWN_TYPE, "type", "unknown event type \"" + type + "\"");
      }
    } catch (InvalidFieldException e) {
      throw new MalformedEventException(Reason.INVALID_FIELD, e.field(), e.problem());
    }
    checkKey(key, event);
    return event;
  }

  private String required(int index) throws MalformedEventException {
    checkPresent(index);
    return optional(index);
  }

  private String optional(int index) throws MalformedEventException {
    checkType(index, "a string");
    return texts[index];
  }

  private long requiredVersion() throws MalformedEventException {
    checkPresent(VERSION);
    checkType(VERSION, "an integer");
    return version;
  }

  private Instant occurredAt() throws MalformedEventException {
    String text = required(OCCURRED_AT);
    try {
      return Timestamps.parse(text);
    } catch (DateTimeException e) {
      throw new MalformedEventException(Reason.INVALID_FIELD, "occurredAt",
          "not an RFC 3339 date-time with offset: \"" + text + "\"");
    }
  }

  private void checkPresent(int index) throws MalformedEventException {
    int bit = 1 << index;
    if ((present & bit) == 0) {
      throw new MalformedEventException(Reason.MISSING_FIELD, NAMES[index], "required member is absent");
    }
    if ((nulls & bit) != 0) {
      throw new MalformedEventException(Reason.WRONG_TYPE, NAMES[index], "required member is null");
    }
  }

  private void checkType(int index, String expected) throws MalformedEventException {
    if ((wrong & (1 << index)) != 0) {
      throw new MalformedEventException(Reason.WRONG_TYPE, NAMES[index],
          "expected " + expected + ", found " + describe(wrongTokens[index]));
    }
  }

  private static void checkKey(byte[] key, OwnershipEvent event) throws MalformedEventException {
    if (key == null) {
      throw new MalformedEventException(Reason.KEY_MISMATCH, null, "the record has no key; expected \""
          + event.key() + "\"");
    }
    if (!keyMatches(key, event.resourceType(), event.resourceId())) {
      throw new MalformedEventException(Reason.KEY_MISMATCH, null, "the record key \""
          + new String(key, StandardCharsets.UTF_8) + "\" is not \"" + event.key() + "\" of its value");
    }
  }

  /** {@code key} is the UTF-8 of {@code type:id}, compared without building either string for ASCII ids. */
  static boolean keyMatches(byte[] key, String type, String id) {
    if (key.length != type.length() + 1 + id.length()) {
      // Still possible for non-ASCII ids: one char is two or three bytes of UTF-8.
      return key.length > type.length() + 1 + id.length() && slowMatch(key, type, id);
    }
    int at = 0;
    for (int i = 0; i < type.length(); i++) {
      if (key[at++] != type.charAt(i)) {
        return false;
      }
    }
    if (key[at++] != ':') {
      return false;
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (c >= 0x80) {
        return slowMatch(key, type, id);
      }
      if (key[at++] != c) {
        return false;
      }
    }
    return true;
  }

  private static boolean slowMatch(byte[] key, String type, String id) {
    return new String(key, StandardCharsets.UTF_8).equals(type + ':' + id);
  }

  private static int index(String name) {
    return switch (name) {
      case "type" -> TYPE;
      case "resourceType" -> RESOURCE_TYPE;
      case "resourceId" -> RESOURCE_ID;
      case "ownerId" -> OWNER_ID;
      case "tenantId" -> TENANT_ID;
      case "version" -> VERSION;
      case "occurredAt" -> OCCURRED_AT;
      case "producer" -> PRODUCER;
      default -> -1;
    };
  }

  static String describe(JsonToken token) {
    return switch (token) {
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT -> "an integer";
      case VALUE_NUMBER_FLOAT -> "a number with a fraction or exponent";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      case START_OBJECT -> "an object";
      case START_ARRAY -> "an array";
      default -> token.toString();
    };
  }
}
