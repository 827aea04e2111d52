package dev.cdnpub.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cdnpub.core.CdnpubException;
import dev.cdnpub.store.Body;
import dev.cdnpub.store.LocalObjectStore;
import dev.cdnpub.store.ObjectMetadata;
import dev.cdnpub.store.ObjectStore;
import dev.cdnpub.testing.InterruptingStore;
import dev.cdnpub.testing.TestFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class LocalPublisherTest extends PublisherContract {
  private int n;

  @Override
  ObjectStore newStore() throws Exception {
    return new LocalObjectStore(Files.createDirectories(tmp.resolve("store-" + n++)));
  }

  private static List<String> tmpEntries(Path root) throws Exception {
    if (!Files.isDirectory(root.resolve("tmp"))) {
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(root.resolve("tmp"))) {
      return walk.skip(1).map(p -> root.resolve("tmp").relativize(p).toString()).sorted().toList();
    }
  }

  /**
   * Temporary files of a dead process (its staging folder's lock is free) are removed by the next
   * run; those of a live one (lock held) are not; an orderly close leaves nothing.
   */
  @Test
  void nextRun_removesADeadRunsTemporaryFiles_butNotALiveOnes() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("litter"));
    Path dist = TestFiles.library(tmp.resolve("dist"), "t", 3);
    PublishPlan plan = plan(dist, "4.0.0");
    try (LocalObjectStore first = new LocalObjectStore(root)) {
      assertThrows(CdnpubException.class, () -> publish(new InterruptingStore(first, 3), plan));
    }
    try (LocalObjectStore live = new LocalObjectStore(root)) {
      live.createIfAbsent(
          "_cdnpub/x/live",
          Body.ofBytes(new byte[] {1}),
          new ObjectMetadata("a/b", "no-store", Map.of()));
      List<String> liveStaging = tmpEntries(root);
      assertEquals(2, liveStaging.size(), "the live store's folder and lock: " + liveStaging);
      // What kill -9 leaves: a staging folder with a half-written file and an unlocked lock file,
      // and (layout of earlier versions) loose *.part files.
      Files.createDirectories(root.resolve("tmp/dead-run"));
      Files.writeString(root.resolve("tmp/dead-run/obj1.part"), "half");
      Files.writeString(root.resolve("tmp/dead-run.lock"), "");
      Files.writeString(root.resolve("tmp/obj2.part"), "half");

      try (LocalObjectStore rerunStore = new LocalObjectStore(root)) {
        List<String> phases = new ArrayList<>();
        PublishResult rerun = publish(rerunStore, plan, phases);
        assertEquals(PublishResult.Status.PUBLISHED, rerun.status());
        assertEquals(2, rerun.abortedUploads(), "two dead temporary files removed");
        assertTrue(
            phases.contains("clean: removed 2 temporary files left by interrupted runs"),
            "the local store has no multipart uploads: " + phases);
        assertTrue(
            tmpEntries(root).containsAll(liveStaging),
            "the live store's staging is kept: " + tmpEntries(root));
        assertTrue(
            tmpEntries(root).stream()
                .noneMatch(e -> e.startsWith("dead-run") || e.equals("obj2.part")),
            tmpEntries(root).toString());
      }
    }
    assertEquals(List.of(), tmpEntries(root), "closed stores leave nothing in tmp");
  }
}
