package dev.cdnpub.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cdnpub.testing.CliRun;
import dev.cdnpub.testing.S3ProxyServer;
import dev.cdnpub.testing.TestFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inputs that once claimed a version and then failed, so that the version could never be used
 * again. Each is now refused by the plan: exit 2, one sentence, nothing written.
 */
class PublishNamesTest {
  @TempDir Path work;

  private Path dist(Map<String, String> files) {
    return TestFiles.write(work.resolve("dist"), files);
  }

  private List<String> localStoreFiles() throws IOException {
    Path root = work.resolve(".cdnpub");
    if (!Files.exists(root)) {
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile).map(p -> root.relativize(p).toString()).toList();
    }
  }

  private void assertRefusedAndNothingWritten(CliRun run, String... mentions) throws IOException {
    assertEquals(2, run.exitCode, run.toString());
    assertEquals(1, run.err.lines().count(), "one sentence: " + run.err);
    for (String mention : mentions) {
      assertTrue(run.err.contains(mention), "names " + mention + ": " + run.err);
    }
    assertEquals(List.of(), localStoreFiles(), "nothing written");
  }

  private CliRun publish(String version) {
    return CliRun.run(
        work, Map.of(), "publish", "dist", "--version", version, "--library", "chatleo");
  }

  @Test
  void backslashInAFileName_isRefusedBeforeTheClaim_andTheFolderStillPublishesWithoutIt()
      throws Exception {
    dist(Map.of("loader.js", "x", "a\\b.js", "y"));
    assertRefusedAndNothingWritten(publish("1.0.0"), "'a\\b.js'", "backslash");
    Files.delete(work.resolve("dist/a\\b.js"));
    CliRun again = publish("1.0.0");
    assertEquals(0, again.exitCode, "the version was not stranded: " + again);
  }

  @Test
  void namesThatAreNotUtf8_areRefusedNamingThem() throws Exception {
    Path dir = dist(Map.of("loader.js", "x"));
    // Java cannot create such names; the shell writes the raw bytes.
    Process p =
        new ProcessBuilder("bash", "-c", "touch $'x\\xff.js' $'x\\xfe.js'")
            .directory(dir.toFile())
            .start();
    assertTrue(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0);
    CliRun run = publish("1.0.0");
    assertRefusedAndNothingWritten(run, "2 file names cannot be published", "not valid UTF-8");
  }

  @Test
  void nfcAndNfdSpellingsOfOneName_areRefusedAsDuplicates() throws Exception {
    dist(Map.of("caf\u00e9.js", "nfc", "cafe\u0301.js", "nfd"));
    assertRefusedAndNothingWritten(publish("1.0.0"), "same name", "Unicode-normalised");
  }

  @Test
  void nfdName_isPublishedUnderItsNfcKey() throws Exception {
    dist(Map.of("cafe\u0301.js", "nfd"));
    CliRun run =
        CliRun.run(
            work,
            Map.of(),
            "publish",
            "dist",
            "--version",
            "1.0.0",
            "--library",
            "chatleo",
            "--dry-run");
    assertEquals(0, run.exitCode, run.toString());
    assertTrue(run.out.contains("v1.0.0/chatleo/caf\u00e9.js"), run.out);
    assertEquals(0, publish("1.0.0").exitCode);
    assertTrue(
        localStoreFiles().contains("objects/v1.0.0/chatleo/caf\u00e9.js"),
        localStoreFiles().toString());
  }

  @Test
  void namesDifferingOnlyInCase_areRefused() throws Exception {
    dist(Map.of("Loader.js", "a", "loader.js", "b"));
    assertRefusedAndNothingWritten(publish("1.0.0"), "only in case");
  }

  @Test
  void manyBadNames_nameTheFirstFiveThenACount() throws Exception {
    Map<String, String> files = new java.util.TreeMap<>();
    for (int i = 0; i < 8; i++) {
      files.put("f" + i + "?.js", "x");
    }
    dist(files);
    assertRefusedAndNothingWritten(publish("1.0.0"), "8 file names", "'f4?.js'", "and 3 more");
    assertFalse(publish("1.0.0").err.contains("f5?"));
  }

  @Test
  void overLongPrerelease_isRefusedBeforeTheClaim() throws Exception {
    dist(Map.of("loader.js", "x"));
    assertRefusedAndNothingWritten(
        publish("1.0.0-" + "a".repeat(250)), "longer than 128 characters");
  }

  @Test
  void majorAboveTheAliasLimit_isRefused_andTheLargestAllowedHasWorkingAliases() throws Exception {
    dist(Map.of("loader.js", "x"));
    assertRefusedAndNothingWritten(publish("2147483647.0.0"), "at most 9 digits");
    assertEquals(0, publish("999999999.0.0").exitCode);
    CliRun get = CliRun.run(work, Map.of(), "alias", "get", "v999999999", "--library", "chatleo");
    assertEquals(0, get.exitCode, get.toString());
    assertTrue(get.out.contains("999999999.0.0"), get.out);
  }

  @Test
  void s3Target_refusesTheSameNames_withNothingInTheBucket() throws Exception {
    S3ProxyServer s3 = S3ProxyServer.shared();
    String bucket = s3.newBucket();
    dist(Map.of("loader.js", "x", "a\\b.js", "y"));
    CliRun run =
        CliRun.run(
            work,
            s3.r2Env(bucket),
            "publish",
            "dist",
            "--version",
            "1.0.0",
            "--library",
            "chatleo",
            "--no-aliases");
    assertEquals(2, run.exitCode, run.toString());
    try (var store = s3.store(bucket, Long.MAX_VALUE)) {
      assertEquals(List.of(), store.list(""));
    }
  }

  /** A JVM started in a POSIX locale reads café.js as caf??.js: it must refuse, not claim. */
  @Test
  void posixLocale_jvmRefusesNonAsciiNames_beforeWritingAnything() throws Exception {
    dist(Map.of("caf\u00e9.js", "x"));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "publish",
                "dist",
                "--version",
                "1.0.0",
                "--library",
                "chatleo")
            .directory(work.toFile())
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("child.log").toFile());
    posixLocale(pb.environment());
    Process child = pb.start();
    assertTrue(child.waitFor(60, TimeUnit.SECONDS));
    String log = Files.readString(work.resolve("child.log"), StandardCharsets.UTF_8);
    assertEquals(2, child.exitValue(), log);
    assertTrue(log.contains("UTF-8 locale"), log);
    assertEquals(List.of(), localStoreFiles());
  }

  /**
   * scripts/cdnpub (through the launcher it runs, the bundle's bin/cdnpub) gives the JVM a UTF-8
   * locale when the caller's is not.
   */
  @Test
  void launcher_setsAUtf8LocaleWhenTheCallersIsNot() throws Exception {
    Path root = work.resolve("install");
    Files.createDirectories(root.resolve("scripts"));
    Files.copy(Path.of("scripts/cdnpub"), root.resolve("scripts/cdnpub"));
    Files.createDirectories(root.resolve("src/main/sh"));
    Files.copy(Path.of("src/main/sh/cdnpub"), root.resolve("src/main/sh/cdnpub"));
    Files.writeString(root.resolve("pom.xml"), "");
    Files.createDirectories(root.resolve("target"));
    Files.writeString(root.resolve("target/cdnpub.jar"), ""); // newer than the sources: no build
    // A stand-in java on PATH reports the locale the launcher gave it.
    Path bin = Files.createDirectories(work.resolve("bin"));
    Files.writeString(bin.resolve("java"), "#!/bin/sh\necho \"charmap=$(locale charmap)\"\n");
    Files.setPosixFilePermissions(
        bin.resolve("java"), PosixFilePermissions.fromString("rwxr-xr-x"));

    for (boolean posix : new boolean[] {true, false}) {
      ProcessBuilder pb =
          new ProcessBuilder("bash", root.resolve("scripts/cdnpub").toString(), "--version")
              .redirectErrorStream(true);
      if (posix) {
        posixLocale(pb.environment());
      } else {
        pb.environment().put("LC_ALL", "C.UTF-8");
      }
      pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
      Process child = pb.start();
      assertTrue(child.waitFor(30, TimeUnit.SECONDS));
      String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(
          out.contains("charmap=UTF-8"), (posix ? "POSIX caller: " : "UTF-8 caller: ") + out);
    }
  }

  private static void posixLocale(Map<String, String> env) {
    for (String name : new ArrayList<>(env.keySet())) {
      if (name.equals("LANG") || name.equals("LANGUAGE") || name.startsWith("LC_")) {
        env.remove(name);
      }
    }
  }
}
