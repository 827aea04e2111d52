package dev.cdnpub.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdnpub.testing.CliRun;
import dev.cdnpub.testing.S3ProxyServer;
import dev.cdnpub.testing.TestFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/** Bad settings end to end: one sentence on stderr, exit 2 (4 for a store that is not there), nothing changed. */
class ConfigurationCliTest {
  static final S3ProxyServer s3 = S3ProxyServer.shared();
  @TempDir Path work;

  private CliRun publish(Map<String, String> env, String... extra) {
    TestFiles.library(work.resolve("dist"), "one", 2);
    List<String> args = new ArrayList<>(List.of("publish", "dist", "--version", "1.0.0", "--library", "chatleo"));
    args.addAll(List.of(extra));
    return CliRun.run(work, env, args.toArray(String[]::new));
  }

  /** Every file below the working folder except the library being published. */
  private List<String> filesWritten() throws Exception {
    try (Stream<Path> walk = Files.walk(work)) {
      return walk.filter(Files::isRegularFile).map(p -> work.relativize(p).toString())
          .filter(p -> !p.startsWith("dist")).sorted().toList();
    }
  }

  private static void assertOneSentence(CliRun run, int code) {
    assertEquals(code, run.exitCode, run.toString());
    assertEquals(1, run.err.lines().count(), "one sentence: " + run);
    assertTrue(run.err.startsWith("cdnpub: "), run.err);
    assertFalse(run.err.contains("Exception"), run.err);
  }

  @Test
  void configFile_unknownKeyOrWrongType_exits2NamingTheKeyAndChangesNothing() throws Exception {
    Map<String, String> cases = Map.of(
        "{\"libary\":\"chatleo\"}", "unknown key 'libary'; did you mean 'library'?",
        "{\"r2\":{\"bucekt\":\"my-bucket\"}}", "unknown key 'r2.bucekt'; did you mean 'r2.bucket'?",
        "{\"r2\":\"my-bucket\"}", "'r2' must be an object with the keys accountId, bucket, endpoint, not a string.",
        "{\"worker\":{\"vars\":{\"ALIAS_EDGE_TTL\":true}}}", "'worker.vars.ALIAS_EDGE_TTL' must be a whole number, not a boolean.");
    for (var c : cases.entrySet()) {
      Files.writeString(work.resolve("cdnpub.json"), c.getKey());
      for (String[] command : List.of(new String[] {"versions"}, new String[] {"alias", "list"})) {
        CliRun run = CliRun.run(work, Map.of(), command);
        assertOneSentence(run, 2);
        assertTrue(run.err.contains(c.getValue()), run.err);
      }
      CliRun run = publish(Map.of());
      assertOneSentence(run, 2);
      assertTrue(run.err.contains(c.getValue()), run.err);
    }
    assertEquals(List.of("cdnpub.json"), filesWritten());
  }

  @Test
  void libraryWithSurroundingSpace_isTrimmedLikeEveryOtherSetting() throws Exception {
    TestFiles.library(work.resolve("dist"), "one", 2);
    CliRun run = CliRun.run(work, Map.of("CDNPUB_LOCAL_DIR", " store "), "publish", "dist", "--version", "1.0.0", "--library", "chatleo ");
    assertEquals(0, run.exitCode, run.toString());
    assertTrue(Files.exists(work.resolve("store/objects/v1.0.0/chatleo/loader.js")), run.toString());
    TestFiles.library(work.resolve("dist2"), "two", 1);
    CliRun fromEnv = CliRun.run(work, Map.of("CDNPUB_LIBRARY", "chatleo ", "CDNPUB_TARGET", " local "),
        "publish", "dist2", "--version", "1.0.1", "--local-dir", "store");
    assertEquals(0, fromEnv.exitCode, fromEnv.toString());
    assertEquals(List.of("1.0.1", "1.0.0"),
        CliRun.run(work, Map.of("CDNPUB_LIBRARY", "\tchatleo"), "versions", "--local-dir", "store ").out.lines().toList());
  }
}
