package dev.cdnpub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdnpub.store.NativeCrypto;
import dev.cdnpub.testing.S3ProxyServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The release bundle as a pipeline uses it: {@code target/cdnpub-<version>.zip}, unpacked with
 * unzip into an empty folder and run through its own {@code bin/cdnpub}, with no Maven, no sources
 * and a POSIX locale (as in many CI images).
 */
class BundleIT {
  private static final Pattern REDRAW = Pattern.compile("\r(?!\n)");

  @TempDir static Path unpacked;
  @TempDir Path work;

  static Path home;
  static String version;

  @BeforeAll
  static void unzip() throws Exception {
    Path zip = Path.of(System.getProperty("cdnpub.bundle"));
    version = System.getProperty("cdnpub.version");
    assertTrue(Files.isRegularFile(zip), zip + " was not built by mvn package");
    Run unzip = run(unpacked, List.of("unzip", "-q", zip.toString()));
    assertEquals(0, unzip.exit, unzip.toString());
    home = unpacked.resolve("cdnpub-" + version);
  }

  record Run(int exit, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  /** Runs {@code command} in {@code dir} as a pipeline would: no CI set, a POSIX locale. */
  static Run run(Path dir, List<String> command) throws Exception {
    return run(dir, command, Map.of());
  }

  /** As {@link #run(Path, List)}, with {@code extra} added to the environment. */
  static Run run(Path dir, List<String> command, Map<String, String> extra) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
    Map<String, String> env = pb.environment();
    env.remove("CI");
    env.remove("CDNPUB_JAVA_OPTS");
    env.remove("CDNPUB_JAR");
    env.put("LC_ALL", "C");
    env.put("LANG", "C");
    env.putAll(extra);
    Process process = pb.start();
    process.getOutputStream().close();
    CompletableFuture<String> out = drain(process.getInputStream());
    CompletableFuture<String> err = drain(process.getErrorStream());
    if (!process.waitFor(180, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(command + " did not end in 180 s");
    }
    return new Run(process.exitValue(), out.get(), err.get());
  }

  private static CompletableFuture<String> drain(InputStream in) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (in) {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            in.transferTo(buffer);
            return buffer.toString(StandardCharsets.UTF_8);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  private static List<String> cdnpub(String... args) {
    List<String> command = new ArrayList<>(List.of(home.resolve("bin/cdnpub").toString()));
    command.addAll(List.of(args));
    return command;
  }

  @Test
  void bundle_holdsTheLauncherTheJarAndTheWorkerScriptOfTheSources() throws Exception {
    assertTrue(Files.isExecutable(home.resolve("bin/cdnpub")), "bin/cdnpub is not executable");
    assertTrue(Files.isRegularFile(home.resolve("lib/cdnpub.jar")));
    assertTrue(Files.isRegularFile(home.resolve("README.md")));
    assertEquals(
        -1,
        Files.mismatch(home.resolve("worker/resolver.js"), Path.of("src/main/worker/resolver.js")),
        "the bundled Worker script differs from src/main/worker/resolver.js");
  }

  @Test
  void launcher_version_runsWithTheLaunchersJvmSettings() throws Exception {
    Run first = run(work, cdnpub("--version"));
    assertEquals(0, first.exit, first.toString());
    // The first use makes the class-data archive next to the jar; the second maps it.
    Run second = run(work, cdnpub("--version"));
    assertEquals(0, second.exit, second.toString());
    assertTrue(second.out.startsWith("cdnpub " + version + "\n"), second.out);
    String runtime = second.out.lines().filter(l -> l.startsWith("runtime: ")).findFirst().get();
    for (String setting :
        List.of(
            "SerialGC",
            "max heap 256 MiB",
            "JIT C1 only",
            "class-data archive cdnpub.jsa",
            "file names UTF-8")) {
      assertTrue(runtime.contains(setting), setting + " not in effect: " + runtime);
    }
    assertTrue(Files.isRegularFile(home.resolve("lib/cdnpub.jsa")));

    // The same jar without the launcher: the line tells the difference.
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Run bare =
        run(work, List.of(java, "-jar", home.resolve("lib/cdnpub.jar").toString(), "--version"));
    assertEquals(0, bare.exit, bare.toString());
    assertTrue(bare.out.contains("JIT tiered (C1, C2)"), bare.out);
    assertFalse(bare.out.contains("class-data archive"), bare.out);
    assertFalse(bare.out.contains("file names UTF-8"), bare.out);
  }

  @Test
  void launcher_publishesTheExampleToALocalStore_andVerifiesIt() throws Exception {
    String dist = Path.of("examples/chatleo/dist").toAbsolutePath().toString();
    Run publish =
        run(
            work,
            cdnpub(
                "publish",
                dist,
                "--version",
                "1.0.0",
                "--library",
                "chatleo",
                "--local-dir",
                "store"));
    assertEquals(0, publish.exit, publish.toString());
    assertTrue(publish.out.contains("published chatleo 1.0.0: "), publish.out);
    assertFalse(publish.err.contains("\r"), "a progress line went into a pipe: " + publish.err);

    Run verify =
        run(
            work,
            cdnpub("verify", "1.0.0", "--library", "chatleo", "--local-dir", "store", "--json"));
    assertEquals(0, verify.exit, verify.toString());
    JsonNode json = new ObjectMapper().readTree(verify.out);
    assertEquals("ok", json.get("status").asText());
    assertTrue(json.get("fileCount").asInt() > 0, verify.out);
  }

  /**
   * R2 serves HTTPS only: a release of 8 MiB and more goes through TLS with NSS's AES-GCM
   * (NativeCrypto), a multipart file among it, and every byte arrives; without NSS too.
   */
  @Test
  void launcher_publishesALargeReleaseOverHttps_throughNss_andEveryByteArrives() throws Exception {
    Path dist = Files.createDirectories(work.resolve("dist"));
    Random random = new Random(5);
    Map<String, byte[]> files = new TreeMap<>();
    for (int i = 0; i < 30; i++) {
      files.put("chunk-" + i + ".js", bytes(random, 1024 + random.nextInt(3072)));
    }
    files.put("model.bin", bytes(random, 6 * 1024 * 1024 + 17));
    files.put("atlas.bin", bytes(random, 3 * 1024 * 1024));
    for (Map.Entry<String, byte[]> file : files.entrySet()) {
      Files.write(dist.resolve(file.getKey()), file.getValue());
    }
    try (S3ProxyServer s3 = new S3ProxyServer(true, true)) {
      String bucket = "https-" + System.nanoTime() % 100000;
      try (S3Client plain = s3.client()) {
        plain.createBucket(b -> b.bucket(bucket));
      }
      Map<String, String> env = new HashMap<>(s3.r2Env(bucket));
      env.put("CDNPUB_R2_ENDPOINT", s3.secureEndpoint().toString());
      env.put("CDNPUB_LIBRARY", "big");
      String trust = String.join(" ", s3.certificate().trustOptions());
      boolean nss = NativeCrypto.provider().isPresent();

      env.put("CDNPUB_JAVA_OPTS", trust);
      Run publish =
          run(
              work,
              cdnpub(
                  "publish",
                  dist.toString(),
                  "--version",
                  "1.0.0",
                  "--no-aliases",
                  "--multipart-threshold",
                  "5MiB",
                  "--verbose"),
              env);
      assertEquals(0, publish.exit, publish.toString());
      // the uploads in flight weigh each connection's TLS handshake
      assertTrue(publish.out.contains(" ms round trip, over TLS)"), publish.out);
      // 9 MiB in files of ~290 KiB on average: with NSS the launcher keeps C1, without it tiered
      assertTrue(publish.out.contains(nss ? "JIT C1 only" : "JIT tiered (C1, C2)"), publish.out);
      assertEquals(
          nss,
          publish.out.contains("crypto: AES-GCM (TLS) and SHA-256 by NSS"),
          "NSS is " + (nss ? "" : "not ") + "here: " + publish.out);
      Run verify = run(work, cdnpub("verify", "1.0.0", "--json"), env);
      assertEquals(0, verify.exit, verify.toString());
      assertEquals(files.size(), new ObjectMapper().readTree(verify.out).get("fileCount").asInt());

      env.put("CDNPUB_JAVA_OPTS", trust + " -Dcdnpub.nativeCrypto=false");
      Run jdk =
          run(
              work,
              cdnpub("publish", dist.toString(), "--version", "1.0.1", "--no-aliases", "--verbose"),
              env);
      assertEquals(0, jdk.exit, jdk.toString());
      assertFalse(jdk.out.contains("crypto:"), jdk.out);
      assertTrue(jdk.out.contains("JIT tiered (C1, C2)"), jdk.out);

      try (S3Client plain = s3.client()) {
        for (String version : List.of("1.0.0", "1.0.1")) {
          for (Map.Entry<String, byte[]> file : files.entrySet()) {
            String key = "v" + version + "/big/" + file.getKey();
            assertArrayEquals(
                file.getValue(),
                plain.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray(),
                key);
          }
        }
      }
    }
  }

  private static byte[] bytes(Random random, int size) {
    byte[] bytes = new byte[size];
    random.nextBytes(bytes);
    return bytes;
  }

  @Test
  void launcher_underAPseudoTerminal_drawsTheProgressLineInPlace() throws Exception {
    assertTrue(Files.isExecutable(Path.of("/usr/bin/script")), "util-linux script is needed");
    String dist = Path.of("examples/chatleo/dist").toAbsolutePath().toString();
    StringBuilder line = new StringBuilder();
    for (String part :
        cdnpub(
            "publish", dist, "--version", "1.0.0", "--library", "chatleo", "--local-dir", "tty")) {
      line.append('\'').append(part.replace("'", "'\\''")).append("' ");
    }
    Run session =
        run(work, List.of("/usr/bin/script", "-qfec", line.toString().trim(), "/dev/null"));
    assertEquals(0, session.exit, session.toString());
    assertTrue(REDRAW.matcher(session.out).find(), "no redraw in:\n" + session.out);
    assertTrue(session.out.contains("\rupload "), session.out);
  }
}
