package dev.cdnpub.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cdnpub.core.CdnpubException;
import dev.cdnpub.core.ExitCode;
import dev.cdnpub.testing.TestFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PublishPlannerTest {
  @TempDir Path tmp;

  private static final ReleaseVersion V = ReleaseVersion.parse("1.2.3");

  @Test
  void plan_mapsRelativePathsUnderVersionPrefix() {
    Path dir =
        TestFiles.write(tmp.resolve("dist"), Map.of("loader.js", "a", "esm/deep/x.mjs", "b"));
    PublishPlan plan = PublishPlanner.plan(dir, "chatleo", V, false);
    assertEquals(
        List.of("v1.2.3/chatleo/esm/deep/x.mjs", "v1.2.3/chatleo/loader.js"),
        plan.files().stream().map(PlannedFile::key).toList());
    assertEquals("v1.2.3/chatleo/", plan.prefix());
    assertEquals("_cdnpub/chatleo/claims/1.2.3", plan.claimKey());
    assertEquals("_cdnpub/chatleo/versions/1.2.3.json", plan.manifestKey());
    assertEquals(2, plan.totalBytes());
  }

  @Test
  void digest_dependsOnPathsAndContentOnly() {
    Path a = TestFiles.write(tmp.resolve("a"), Map.of("x.js", "1", "y.js", "2"));
    Path b = TestFiles.write(tmp.resolve("b"), Map.of("y.js", "2", "x.js", "1"));
    Path c = TestFiles.write(tmp.resolve("c"), Map.of("x.js", "1", "y.js", "3"));
    Path d = TestFiles.write(tmp.resolve("d"), Map.of("x.js", "1", "z.js", "2"));
    String da = PublishPlanner.plan(a, "lib", V, false).digest();
    assertEquals(da, PublishPlanner.plan(b, "lib", V, false).digest());
    assertNotEquals(da, PublishPlanner.plan(c, "lib", V, false).digest());
    assertNotEquals(da, PublishPlanner.plan(d, "lib", V, false).digest());
  }

  @Test
  void scan_skipsHiddenUnlessAsked_andIgnoresEmptyFolders() throws Exception {
    Path dir =
        TestFiles.write(
            tmp.resolve("dist"),
            Map.of("a.js", "a", ".env", "SECRET=1", ".git/config", "x", "sub/.hidden.js", "h"));
    Files.createDirectories(dir.resolve("empty/inner"));
    assertEquals(List.of("a.js"), paths(PublishPlanner.plan(dir, "lib", V, false)));
    assertEquals(
        List.of(".env", ".git/config", "a.js", "sub/.hidden.js"),
        paths(PublishPlanner.plan(dir, "lib", V, true)));
  }

  @Test
  void scan_symlinkOutsideFolder_isRefused() throws Exception {
    Path dir = TestFiles.write(tmp.resolve("dist"), Map.of("a.js", "a"));
    Path outside = TestFiles.write(tmp.resolve("home"), Map.of("id_rsa", "KEY"));
    Files.createSymbolicLink(dir.resolve("key.js"), outside.resolve("id_rsa"));
    assertUsage(() -> PublishPlanner.plan(dir, "lib", V, false), "points outside");
    Files.delete(dir.resolve("key.js"));
    Files.createSymbolicLink(dir.resolve("home"), outside);
    assertUsage(() -> PublishPlanner.plan(dir, "lib", V, false), "points outside");
  }

  @Test
  void scan_symlinkInsideFolder_isPublishedAsFile() throws Exception {
    Path dir = TestFiles.write(tmp.resolve("dist"), Map.of("a.js", "a"));
    Files.createSymbolicLink(dir.resolve("latest.js"), dir.resolve("a.js"));
    assertEquals(List.of("a.js", "latest.js"), paths(PublishPlanner.plan(dir, "lib", V, false)));
  }

  @Test
  void scan_missingEmptyOrFileDir_isUsageError() throws Exception {
    assertUsage(() -> PublishPlanner.plan(tmp.resolve("nope"), "lib", V, false), "does not exist");
    Files.createDirectories(tmp.resolve("empty/sub"));
    assertUsage(() -> PublishPlanner.plan(tmp.resolve("empty"), "lib", V, false), "no files");
    Files.writeString(tmp.resolve("file.js"), "x");
    assertUsage(() -> PublishPlanner.plan(tmp.resolve("file.js"), "lib", V, false), "not a folder");
  }

  /**
   * Files are hashed on all cores; each keeps its own digests, in path order, whatever finished
   * first.
   */
  @Test
  void plan_hashesInParallel_digestsBelongToTheirFilesInPathOrder() throws Exception {
    Map<String, String> content = new java.util.HashMap<>();
    for (int i = 0; i < 300; i++) {
      // a few large files among many small ones, so that threads finish out of order
      content.put(
          String.format("f-%03d.js", i), (i % 50 == 0 ? "x".repeat(300_000) : "") + "file " + i);
    }
    Path dir = TestFiles.write(tmp.resolve("dist"), content);
    PublishPlan plan = PublishPlanner.plan(dir, "lib", V, false);
    assertEquals(300, plan.files().size());
    long total = 0;
    for (int i = 0; i < 300; i++) {
      PlannedFile f = plan.files().get(i);
      assertEquals(String.format("f-%03d.js", i), f.path());
      var d = dev.cdnpub.store.Digests.ofFile(dir.resolve(f.path()));
      assertEquals(d.sha256Hex(), f.sha256());
      assertEquals("sha384-" + d.sha384Base64(), f.integrity());
      assertEquals(d.md5Base64(), f.md5Base64());
      assertEquals(d.size(), f.size());
      total += d.size();
    }
    assertEquals(total, plan.totalBytes());
  }

  @Test
  void plan_unreadableFile_isUsageErrorNamingIt() throws Exception {
    Path dir = TestFiles.write(tmp.resolve("dist"), Map.of("a.js", "a", "b.js", "b", "c.js", "c"));
    Path locked = dir.resolve("b.js");
    assumeTrue(
        locked.toFile().setReadable(false) && !Files.isReadable(locked),
        "needs a file this user cannot read (not root)");
    try {
      assertUsage(() -> PublishPlanner.plan(dir, "lib", V, false), "cannot read " + locked);
    } finally {
      locked.toFile().setReadable(true);
    }
  }

  @Test
  void plan_keyLongerThan1024Bytes_isUsageError() {
    Path dir =
        TestFiles.write(
            tmp.resolve("dist"), Map.of("a/".repeat(420) + "x".repeat(200) + ".js", "a"));
    assertUsage(() -> PublishPlanner.plan(dir, "lib", V, false), "1024");
  }

  private static List<String> paths(PublishPlan plan) {
    return plan.files().stream().map(PlannedFile::path).toList();
  }

  private static void assertUsage(org.junit.jupiter.api.function.Executable call, String fragment) {
    CdnpubException e = assertThrows(CdnpubException.class, call);
    assertEquals(ExitCode.USAGE, e.exitCode());
    assertTrue(e.getMessage().contains(fragment), e.getMessage());
  }
}
