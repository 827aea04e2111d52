package dev.cdnpub.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cdnpub.publish.ReleaseCatalog;
import dev.cdnpub.publish.ReleaseVersion;
import dev.cdnpub.store.S3ObjectStore;
import dev.cdnpub.testing.CliRun;
import dev.cdnpub.testing.S3ProxyServer;
import dev.cdnpub.testing.TestFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A publish process killed with SIGKILL halfway through its uploads; the re-run finishes the
 * release.
 */
class PublishKillTest {
  @TempDir Path work;

  @Test
  void publish_processKilledMidUpload_rerunCompletesAndSeals() throws Exception {
    Map<String, String> files = new TreeMap<>();
    for (int i = 0; i < 600; i++) {
      files.put("chunks/c" + i + ".js", "export const c" + i + " = " + i + ";\n");
    }
    Path dist = TestFiles.write(work.resolve("dist"), files);
    S3ProxyServer s3 = S3ProxyServer.shared();
    String bucket = s3.newBucket();
    try (S3ObjectStore store = s3.store(bucket, Long.MAX_VALUE)) {
      Map<String, String> env = s3.r2Env(bucket);

      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      List<String> command =
          new ArrayList<>(
              List.of(
                  java,
                  "-cp",
                  System.getProperty("java.class.path"),
                  Main.class.getName(),
                  "publish",
                  dist.toString(),
                  "--version",
                  "1.0.0",
                  "--library",
                  "chatleo",
                  "--no-aliases",
                  "--concurrency",
                  "1"));
      ProcessBuilder pb =
          new ProcessBuilder(command)
              .directory(work.toFile())
              .redirectErrorStream(true)
              .redirectOutput(work.resolve("child.log").toFile());
      pb.environment().putAll(env);
      Process child = pb.start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (store.list("v1.0.0/chatleo/").size() < 20
          && child.isAlive()
          && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      child.destroyForcibly();
      assertTrue(child.waitFor(30, TimeUnit.SECONDS));
      int uploadedBeforeKill = store.list("v1.0.0/chatleo/").size();
      assertTrue(
          uploadedBeforeKill >= 20 && uploadedBeforeKill < 600,
          "killed halfway: "
              + uploadedBeforeKill
              + " files; "
              + Files.readString(work.resolve("child.log")));
      assertTrue(
          new ReleaseCatalog(store).sealedVersions("chatleo").isEmpty(), "not sealed when killed");

      CliRun rerun =
          CliRun.run(
              work,
              env,
              "publish",
              dist.toString(),
              "--version",
              "1.0.0",
              "--library",
              "chatleo",
              "--no-aliases");
      assertEquals(0, rerun.exitCode, rerun.toString());
      assertTrue(rerun.out.contains("already there from an earlier run"), rerun.out);
      assertEquals(
          List.of(ReleaseVersion.parse("1.0.0")),
          new ReleaseCatalog(store).sealedVersions("chatleo"));
      assertEquals(
          600, store.list("v1.0.0/chatleo/").stream().filter(k -> k.endsWith(".js")).count());
      assertArrayEquals(
          "export const c7 = 7;\n".getBytes(),
          store.read("v1.0.0/chatleo/chunks/c7.js").orElseThrow());
    }
  }

  /**
   * The local store: the killed process's staging folder is swept by the re-run, nothing is left.
   */
  @Test
  void localPublish_processKilledMidUpload_rerunCompletesAndLeavesNoTemporaryFiles()
      throws Exception {
    Map<String, String> files = new TreeMap<>();
    for (int i = 0; i < 600; i++) {
      files.put("chunks/c" + i + ".js", "export const c" + i + " = " + i + ";\n".repeat(200));
    }
    Path dist = TestFiles.write(work.resolve("dist"), files);
    Path objects = work.resolve(".cdnpub/objects/v1.0.0/chatleo/chunks");
    Path tmp = work.resolve(".cdnpub/tmp");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "publish",
                dist.toString(),
                "--version",
                "1.0.0",
                "--library",
                "chatleo",
                "--concurrency",
                "4")
            .directory(work.toFile())
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("child.log").toFile());
    Process child = pb.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (count(objects) < 20 && child.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    child.destroyForcibly();
    assertTrue(child.waitFor(30, TimeUnit.SECONDS));
    long stored = count(objects);
    assertTrue(
        stored >= 20 && stored < 600,
        "killed halfway: " + stored + " files; " + Files.readString(work.resolve("child.log")));
    assertTrue(count(tmp) > 0, "the killed process left its staging behind");

    CliRun rerun =
        CliRun.run(
            work,
            Map.of(),
            "publish",
            dist.toString(),
            "--version",
            "1.0.0",
            "--library",
            "chatleo");
    assertEquals(0, rerun.exitCode, rerun.toString());
    assertEquals(600, count(objects));
    assertEquals(0, count(tmp), "no temporary file is left");
  }

  private static long count(Path dir) throws Exception {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (var list = Files.list(dir)) {
      return list.count();
    }
  }
}
