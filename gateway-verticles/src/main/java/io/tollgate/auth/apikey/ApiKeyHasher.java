package io.tollgate.auth.apikey;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Turns an API key into the only form the gateway stores: {@code hmac-sha256:<hex>} — HMAC-SHA256 keyed with a
 * server-side pepper (preferred: a leaked database alone does not allow checking guesses offline) — or
 * {@code sha256:<hex>} (plain SHA-256, when no pepper can be managed). API keys are long random strings
 * ({@link #generate()}: 256 bits), so a single fast hash is enough; password hashing (bcrypt, Argon2) would only
 * cost every request time.
 *
 * <p>Immutable and thread-safe; {@link #hash} is cheap (one HMAC of a short string) and fine on an event loop.
 * {@link #toString()} names the scheme only, never the pepper.
 *
 * <p>Command line (the key may be given as {@code -} to read it from standard input, keeping it out of the shell
 * history and the process list):
 * <pre>
 * java -cp tollgate.jar io.tollgate.auth.apikey.ApiKeyHasher --pepper-env API_KEY_PEPPER &lt;key | -&gt;
 * java -cp tollgate.jar io.tollgate.auth.apikey.ApiKeyHasher --sha256 &lt;key | -&gt;
 * java -cp tollgate.jar io.tollgate.auth.apikey.ApiKeyHasher --generate [--pepper-env API_KEY_PEPPER | --sha256]
 * </pre>
 * The first two print the hash to put in config; {@code --generate} prints a new key (and its hash on a second line
 * when a scheme is given). A new pepper is made the same way: {@code --generate}.
 */
public final class ApiKeyHasher {

  public static final String HMAC_SCHEME = "hmac-sha256";
  public static final String SHA256_SCHEME = "sha256";
  /** RFC 2104 §3: a key shorter than the hash output weakens HMAC; {@link #generate()} makes 32 bytes. */
  public static final int MIN_PEPPER_BYTES = 32;

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final HexFormat HEX = HexFormat.of();

  private final String scheme;
  private final Mac prototype;

  private ApiKeyHasher(String scheme, Mac prototype) {
    this.scheme = scheme;
    this.prototype = prototype;
  }

  /** HMAC-SHA256 keyed with {@code pepper} (at least {@value #MIN_PEPPER_BYTES} bytes; copied, never exposed). */
  public static ApiKeyHasher hmac(byte[] pepper) {
    if (pepper == null || pepper.length < MIN_PEPPER_BYTES) {
      throw new IllegalArgumentException("the API key pepper must be at least " + MIN_PEPPER_BYTES + " bytes");
    }
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(pepper, "HmacSHA256"));
      return new ApiKeyHasher(HMAC_SCHEME, mac);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is required of every Java platform", e);
    }
  }

  /** HMAC-SHA256 keyed with the UTF-8 bytes of environment variable {@code name}. */
  public static ApiKeyHasher hmacFromEnv(String name, Map<String, String> env) {
    String value = env.get(name);
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException("environment variable " + name + " (the API key pepper) is not set");
    }
    return hmac(value.getBytes(StandardCharsets.UTF_8));
  }

  /** Plain SHA-256. */
  public static ApiKeyHasher sha256() {
    return new ApiKeyHasher(SHA256_SCHEME, null);
  }

  /** A new API key: 32 random bytes from {@link SecureRandom}, base64url without padding (43 characters). */
  public static String generate() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** {@value #HMAC_SCHEME} or {@value #SHA256_SCHEME}: the prefix of the hashes this hasher makes. */
  public String scheme() {
    return scheme;
  }

  /** The stored form of {@code key}: {@code <scheme>:<64 lowercase hex digits>}. */
  public String hash(String key) {
    return scheme + ":" + HEX.formatHex(digest(key));
  }

  /** The raw 32-byte digest of {@code key} (UTF-8), as {@link ApiKeyStore} indexes it. */
  byte[] digest(String key) {
    byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
    if (prototype == null) {
      return sha256Digest(bytes);
    }
    try {
      // Mac is not thread-safe; a clone of the keyed prototype skips the key setup on every call.
      return ((Mac) prototype.clone()).doFinal(bytes);
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException("HmacSHA256 provider does not support clone()", e);
    }
  }

  @Override
  public String toString() {
    return "ApiKeyHasher[" + scheme + "]";
  }

  private static byte[] sha256Digest(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }

  public static void main(String[] args) {
    // A command-line tool: its diagnostics belong on standard error, its result alone on standard output.
    System.exit(run(args, System.getenv(), System.in, System.out, System.err));
  }

  /** {@link #main} without the exit; returns the exit status (0 ok, 2 usage or input error). */
  static int run(String[] args, Map<String, String> env, InputStream in, PrintStream out, PrintStream err) {
    boolean generate = false;
    ApiKeyHasher hasher = null;
    String key = null;
    try {
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--generate" -> generate = true;
          case "--sha256" -> hasher = sha256();
          case "--pepper-env" -> {
            if (++i == args.length) {
              throw new IllegalArgumentException("--pepper-env needs the name of an environment variable");
            }
            hasher = hmacFromEnv(args[i], env);
          }
          default -> {
            if (key != null || (args[i].startsWith("--"))) {
              throw new IllegalArgumentException("unexpected argument " + args[i]);
            }
            key = args[i].equals("-") ? readKey(in) : args[i];
          }
        }
      }
      if (generate == (key != null) || (!generate && hasher == null)) {
        throw new IllegalArgumentException("give either a key and a scheme, or --generate");
      }
      if (key != null && key.isEmpty()) {
        throw new IllegalArgumentException("the key is empty");
      }
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      err.println("usage: ApiKeyHasher (--pepper-env NAME | --sha256) <key | ->");
      err.println("       ApiKeyHasher --generate [--pepper-env NAME | --sha256]");
      return 2;
    }
    if (generate) {
      key = generate();
      out.println(key);
    }
    if (hasher != null) {
      out.println(hasher.hash(key));
    }
    return 0;
  }

  private static String readKey(InputStream in) {
    try {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the key from standard input: " + e.getMessage());
    }
  }
}
