package io.tollgate.testkit.peers;

/**
 * One event dispatched by an {@link SseParser}, as the HTML Living Standard (§9.2, "server-sent events")
 * defines it.
 *
 * @param id the last event ID when the event was dispatched; ids persist from earlier events, {@code ""} when
 *     none was ever set
 * @param event the event type; {@code message} when the block had no {@code event:} field
 * @param data the {@code data:} lines joined with {@code \n}
 */
public record SseEvent(String id, String event, String data) {}
