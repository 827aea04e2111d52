package dev.cdnpub.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate for 127.0.0.1, made with the JDK's own {@code keytool}: the key store a
 * TLS server presents, the same certificate as a PEM file (for rclone's {@code --ca-cert} and
 * awscli's {@code AWS_CA_BUNDLE}) and as a trust store (for a JVM's {@code
 * javax.net.ssl.trustStore}). Valid for two days, so a leftover one is useless.
 */
public record TestCertificate(Path keyStore, Path pem, Path trustStore) {
  /** The password of the server's key store; it holds a throwaway key for loopback only. */
  public static final String PASSWORD = "loopback-only";

  /** The password of the JDK's {@code cacerts}, and of the trust store copied from it. */
  private static final String CACERTS_PASSWORD = "changeit";

  /** Makes the three files in {@code dir}. */
  public static TestCertificate create(Path dir) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    Path keyStore = dir.resolve("server.p12");
    Path pem = dir.resolve("server.pem");
    Path trustStore = dir.resolve("cacerts.jks");
    keytool(
        "-genkeypair",
        "-alias",
        "server",
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=127.0.0.1",
        "-ext",
        "SAN=ip:127.0.0.1,dns:localhost",
        "-validity",
        "2",
        "-storetype",
        "PKCS12",
        "-keystore",
        keyStore.toString(),
        "-storepass",
        PASSWORD,
        "-keypass",
        PASSWORD);
    keytool(
        "-exportcert",
        "-rfc",
        "-alias",
        "server",
        "-keystore",
        keyStore.toString(),
        "-storepass",
        PASSWORD,
        "-file",
        pem.toString());
    // A JKS copy: its certificates load without a password, so one JVM option names it.
    Path cacerts = Path.of(System.getProperty("java.home"), "lib", "security", "cacerts");
    if (Files.isRegularFile(cacerts)) {
      keytool(
          "-importkeystore",
          "-noprompt",
          "-srckeystore",
          cacerts.toString(),
          "-srcstorepass",
          CACERTS_PASSWORD,
          "-destkeystore",
          trustStore.toString(),
          "-deststoretype",
          "JKS",
          "-deststorepass",
          CACERTS_PASSWORD);
    }
    keytool(
        "-importcert",
        "-noprompt",
        "-alias",
        "cdnpub-test-server",
        "-file",
        pem.toString(),
        "-storetype",
        "JKS",
        "-keystore",
        trustStore.toString(),
        "-storepass",
        CACERTS_PASSWORD);
    return new TestCertificate(keyStore, pem, trustStore);
  }

  /** The JVM options that make a JVM trust this certificate besides the JDK's authorities. */
  public List<String> trustOptions() {
    return List.of("-Djavax.net.ssl.trustStore=" + trustStore);
  }

  private static void keytool(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      process.destroyForcibly();
      throw new IOException("keytool " + args[0] + " failed: " + output);
    }
  }
}
