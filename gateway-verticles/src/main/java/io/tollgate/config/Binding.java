package io.tollgate.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * State shared while binding one document: the environment used for {@code ${VAR}} substitution and the
 * errors found so far. Binders report into it and carry on, so one run finds every error.
 */
final class Binding {

  private final Map<String, String> env;
  private final List<ConfigError> errors = new ArrayList<>();

  Binding(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  Map<String, String> env() {
    return env;
  }

  void error(String path, String message) {
    errors.add(new ConfigError(path.isEmpty() ? "<root>" : path, message));
  }

  /** Throws if anything was reported, so that no caller ever sees a half-valid config. */
  void throwIfErrors() throws ConfigException {
    if (!errors.isEmpty()) {
      throw new ConfigException(errors);
    }
  }

  /** {@code listener} + {@code port} = {@code listener.port}; the root path is {@code ""}. */
  static String child(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  /** {@code routes} + 2 = {@code routes[2]}. */
  static String index(String path, int index) {
    return path + "[" + index + "]";
  }
}
