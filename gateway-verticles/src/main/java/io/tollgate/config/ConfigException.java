package io.tollgate.config;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A configuration was rejected. Carries every problem found, not just the first, grouped by section
 * ({@code listener}, {@code management}, {@code shutdown}, {@code services}, {@code routes}) and within a
 * section in a stable order, so the same input always gives the same report.
 *
 * <p>{@link #getMessage()} lists the errors one per line, as {@code path: message}.
 */
public final class ConfigException extends Exception {

  private final List<ConfigError> errors;

  /** @param errors at least one */
  public ConfigException(List<ConfigError> errors) {
    super(errors.stream().map(ConfigError::toString).collect(Collectors.joining("\n")));
    if (errors.isEmpty()) {
      throw new IllegalArgumentException("a ConfigException needs at least one error");
    }
    this.errors = List.copyOf(errors);
  }

  /** The problems, never empty. */
  public List<ConfigError> errors() {
    return errors;
  }
}
