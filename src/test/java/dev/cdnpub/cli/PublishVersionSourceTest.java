package dev.cdnpub.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdnpub.testing.CliRun;
import dev.cdnpub.testing.TestFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The version of a publish: --version, else CDNPUB_VERSION, else package.json; the plan says which.
 */
class PublishVersionSourceTest {
  @TempDir Path work;

  private void project() throws Exception {
    TestFiles.library(work.resolve("dist"), "v", 2);
    Files.writeString(
        work.resolve("package.json"), "{\"name\": \"@acme/chatleo\", \"version\": \"2.3.4\"}");
  }

  @Test
  void withoutFlagOrEnvironment_theVersionOfPackageJsonIsPublished() throws Exception {
    project();
    CliRun run = CliRun.run(work, Map.of(), "publish", "dist");
    assertEquals(0, run.exitCode, run.toString());
    assertTrue(
        run.out.contains("plan: chatleo 2.3.4 (version from package.json (version)), 2 files"),
        run.out);
    assertEquals(java.util.List.of("2.3.4"), CliRun.run(work, Map.of(), "versions").firstColumn());
  }

  @Test
  void environmentBeatsPackageJson_andTheFlagBeatsBoth() throws Exception {
    project();
    CliRun env =
        CliRun.run(
            work, Map.of("CDNPUB_VERSION", " 3.0.0 "), "publish", "dist", "--dry-run", "--json");
    assertEquals(0, env.exitCode, env.toString());
    var json = new ObjectMapper().readTree(env.out);
    assertEquals("3.0.0", json.get("version").asText());
    assertEquals("CDNPUB_VERSION", json.get("versionSource").asText());
    CliRun flag =
        CliRun.run(
            work,
            Map.of("CDNPUB_VERSION", "3.0.0"),
            "publish",
            "dist",
            "--version",
            "4.0.0",
            "--dry-run");
    assertTrue(flag.out.contains("plan: chatleo 4.0.0 (version from --version)"), flag.out);
  }

  @Test
  void noVersionAnywhere_exits2SayingWhereOneCanCome_andBadOneFromPackageJsonToo()
      throws Exception {
    TestFiles.library(work.resolve("dist"), "v", 1);
    CliRun none = CliRun.run(work, Map.of(), "publish", "dist", "--library", "chatleo");
    assertEquals(2, none.exitCode, none.toString());
    assertTrue(none.err.contains("no version: give --version, set CDNPUB_VERSION"), none.err);
    Files.writeString(
        work.resolve("package.json"), "{\"name\": \"chatleo\", \"version\": \"1.2\"}");
    CliRun bad = CliRun.run(work, Map.of(), "publish", "dist");
    assertEquals(2, bad.exitCode, bad.toString());
    assertTrue(bad.err.contains("'1.2' is not a semantic version"), bad.err);
    assertEquals(false, Files.exists(work.resolve(".cdnpub/objects")), "nothing written");
  }
}
