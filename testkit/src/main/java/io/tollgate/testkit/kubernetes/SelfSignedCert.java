package io.tollgate.testkit.kubernetes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate for {@code 127.0.0.1} / {@code localhost}, made with the JDK's {@code keytool} (no
 * BouncyCastle needed): a PKCS#12 key store for the server and the certificate as PEM, which a client uses as its CA
 * file (as a pod uses {@code ca.crt}). Takes about a second; call it off the event loop.
 *
 * @param keyStore PKCS#12 file with the key and certificate (alias {@code server})
 * @param password the key store's password
 * @param pem      the certificate in PEM
 */
public record SelfSignedCert(Path keyStore, String password, Path pem) {

  /** Creates the key store and PEM file in {@code dir}. */
  public static SelfSignedCert create(Path dir) {
    Path keyStore = dir.resolve("server.p12");
    Path pem = dir.resolve("ca.crt");
    String password = "changeit";
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    run(List.of(keytool, "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1",
        "-dname", "CN=kube-apiserver", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2",
        "-keystore", keyStore.toString(), "-storetype", "PKCS12", "-storepass", password));
    run(List.of(keytool, "-exportcert", "-rfc", "-alias", "server", "-keystore", keyStore.toString(),
        "-storepass", password, "-file", pem.toString()));
    return new SelfSignedCert(keyStore, password, pem);
  }

  private static void run(List<String> command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes());
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException("keytool failed: " + output);
      }
    } catch (IOException e) {
      throw new IllegalStateException("keytool failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** The PEM text. */
  public String pemText() {
    try {
      return Files.readString(pem);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
