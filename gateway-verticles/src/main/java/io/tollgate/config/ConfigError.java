package io.tollgate.config;

import java.util.Objects;

/**
 * One problem found in a configuration.
 *
 * @param path    where it is, in the YAML document: {@code routes[2].service}, {@code listener.port},
 *                {@code services.service1.targets[0].url}; {@code <yaml>} for syntax errors, {@code <file>}
 *                when the file cannot be read
 * @param message what is wrong, phrased to be read after the path
 */
public record ConfigError(String path, String message) {

  public ConfigError {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(message, "message");
  }

  /** {@code path: message}, e.g. {@code routes[2].service: unknown service 'srvice1'}. */
  @Override
  public String toString() {
    return path + ": " + message;
  }
}
