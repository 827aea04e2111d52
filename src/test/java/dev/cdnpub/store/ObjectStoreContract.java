package dev.cdnpub.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cdnpub.testing.TestFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@link ObjectStore} contract, run against every adapter. */
abstract class ObjectStoreContract {
  @TempDir Path tmp;

  /** A fresh, empty store whose multipart threshold is {@code multipartThreshold}. */
  abstract ObjectStore newStore(long multipartThreshold) throws Exception;

  static final ObjectMetadata META =
      new ObjectMetadata(
          "text/javascript; charset=utf-8",
          "public, max-age=31536000, immutable",
          Map.of("note", "abc"));

  @Test
  void createIfAbsent_newKey_storesBodyAndMetadata() throws Exception {
    try (ObjectStore store = newStore(Long.MAX_VALUE)) {
      byte[] body = "export default 1;\n".getBytes(StandardCharsets.UTF_8);
      assertEquals(
          CreateResult.CREATED, store.createIfAbsent("v1.0.0/lib/a.js", Body.ofBytes(body), META));
      assertArrayEquals(body, store.read("v1.0.0/lib/a.js").orElseThrow());
      ObjectInfo info = store.stat("v1.0.0/lib/a.js").orElseThrow();
      assertEquals(body.length, info.size());
      assertEquals("text/javascript; charset=utf-8", info.contentType());
      assertEquals("public, max-age=31536000, immutable", info.cacheControl());
      assertEquals("abc", info.userMetadata().get("note"));
    }
  }

  @Test
  void createIfAbsent_existingKey_refusesAndKeepsFirstBody() throws Exception {
    try (ObjectStore store = newStore(Long.MAX_VALUE)) {
      store.createIfAbsent("k/x.js", Body.ofBytes("first".getBytes()), META);
      var second = new ObjectMetadata("text/plain", "no-store", Map.of("note", "other"));
      assertEquals(
          CreateResult.ALREADY_EXISTS,
          store.createIfAbsent("k/x.js", Body.ofBytes("second!".getBytes()), second));
      assertArrayEquals("first".getBytes(), store.read("k/x.js").orElseThrow());
      assertEquals("abc", store.stat("k/x.js").orElseThrow().userMetadata().get("note"));
    }
  }

  @Test
  void createIfAbsent_fromFile_storesFileContent() throws Exception {
    Path file = tmp.resolve("f.bin");
    byte[] data = TestFiles.random(70_000, 7);
    Files.write(file, data);
    try (ObjectStore store = newStore(Long.MAX_VALUE)) {
      var d = Digests.ofFile(file);
      store.createIfAbsent("v/f.bin", Body.ofFile(file, d.size(), d.md5Base64()), META);
      assertArrayEquals(data, store.read("v/f.bin").orElseThrow());
    }
  }

  @Test
  void createIfAbsent_largeBodyAboveThreshold_usesMultipartAndStillRefusesOverwrite()
      throws Exception {
    Path file = tmp.resolve("big.wasm");
    byte[] data = TestFiles.random(11 * 1024 * 1024 + 123, 11);
    Files.write(file, data);
    var d = Digests.ofFile(file);
    try (ObjectStore store = newStore(6L * 1024 * 1024)) {
      assertEquals(
          CreateResult.CREATED,
          store.createIfAbsent("v/big.wasm", Body.ofFile(file, d.size(), d.md5Base64()), META));
      assertArrayEquals(data, store.read("v/big.wasm").orElseThrow());
      assertEquals(
          "text/javascript; charset=utf-8", store.stat("v/big.wasm").orElseThrow().contentType());
      Path other = tmp.resolve("other.wasm");
      Files.write(other, TestFiles.random(11 * 1024 * 1024, 12));
      var d2 = Digests.ofFile(other);
      assertEquals(
          CreateResult.ALREADY_EXISTS,
          store.createIfAbsent("v/big.wasm", Body.ofFile(other, d2.size(), d2.md5Base64()), META));
      assertArrayEquals(data, store.read("v/big.wasm").orElseThrow());
    }
  }

  @Test
  void readAndStat_missingKey_areEmpty() throws Exception {
    try (ObjectStore store = newStore(Long.MAX_VALUE)) {
      assertTrue(store.read("nope/x").isEmpty());
      assertTrue(store.stat("nope/x").isEmpty());
      assertTrue(store.readStream("nope/x", (info, in) -> "read").isEmpty());
    }
  }

  @Test
  void readStream_storedObject_givesItsMetadataAndWholeBody() throws Exception {
    Path file = tmp.resolve("s.bin");
    byte[] data = TestFiles.random(300_000, 9);
    Files.write(file, data);
    var d = Digests.ofFile(file);
    try (ObjectStore store = newStore(Long.MAX_VALUE)) {
      store.createIfAbsent("v/s.bin", Body.ofFile(file, d.size(), d.md5Base64()), META);
      ObjectStore.StreamReader<Object[]> reader =
          (info, in) -> new Object[] {info, in.readAllBytes()};
      Object[] seen = store.readStream("v/s.bin", reader).orElseThrow();
      ObjectInfo info = (ObjectInfo) seen[0];
      assertEquals(data.length, info.size());
      assertEquals("text/javascript; charset=utf-8", info.contentType());
      assertEquals("public, max-age=31536000, immutable", info.cacheControl());
      assertArrayEquals(data, (byte[]) seen[1]);
    }
  }

  @Test
  void list_returnsKeysUnderPrefixInOrder() throws Exception {
    try (ObjectStore store = newStore(Long.MAX_VALUE)) {
      for (String k :
          List.of(
              "_cdnpub/lib/versions/1.10.0.json",
              "_cdnpub/lib/versions/1.2.0.json",
              "_cdnpub/lib/claims/1.2.0",
              "_cdnpub/other/versions/9.0.0.json",
              "v1.2.0/lib/a.js")) {
        store.createIfAbsent(k, Body.ofBytes(new byte[] {1}), META);
      }
      assertEquals(
          List.of("_cdnpub/lib/versions/1.10.0.json", "_cdnpub/lib/versions/1.2.0.json"),
          store.list("_cdnpub/lib/versions/"));
      assertEquals(List.of(), store.list("_cdnpub/none/"));
    }
  }

  /**
   * Many threads race to create one key: exactly one wins and the stored body is the winner's,
   * whole.
   */
  @Test
  void createIfAbsent_racingWriters_exactlyOneWinsAndContentIsWhole() throws Exception {
    int writers = 16;
    try (ObjectStore store = newStore(Long.MAX_VALUE)) {
      for (int trial = 0; trial < 5; trial++) {
        String key = "race/" + trial + ".js";
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<CreateResult>> results = new ArrayList<>();
        List<byte[]> bodies = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
          byte[] body = TestFiles.random(50_000 + w * 1000, trial * 100 + w);
          bodies.add(body);
          results.add(
              pool.submit(
                  () -> {
                    start.await();
                    return store.createIfAbsent(key, Body.ofBytes(body), META);
                  }));
        }
        start.countDown();
        int winners = 0;
        int winner = -1;
        for (int w = 0; w < writers; w++) {
          if (results.get(w).get(30, TimeUnit.SECONDS) == CreateResult.CREATED) {
            winners++;
            winner = w;
          }
        }
        pool.shutdown();
        assertEquals(1, winners, "exactly one writer wins trial " + trial);
        assertArrayEquals(
            bodies.get(winner), store.read(key).orElseThrow(), "stored body is the winner's");
      }
    }
  }

  /**
   * Racing multipart uploads: every writer may pass the cheap existence check, so only the
   * condition on CompleteMultipartUpload can keep the first object.
   */
  @Test
  void createIfAbsent_racingMultipartWriters_exactlyOneWins() throws Exception {
    int writers = 4;
    try (ObjectStore store = newStore(5L * 1024 * 1024)) {
      ExecutorService pool = Executors.newFixedThreadPool(writers);
      CountDownLatch start = new CountDownLatch(1);
      List<Future<CreateResult>> results = new ArrayList<>();
      List<byte[]> bodies = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        Path file = tmp.resolve("mp" + w);
        byte[] body = TestFiles.random(6 * 1024 * 1024 + w, 1000 + w);
        Files.write(file, body);
        bodies.add(body);
        var d = Digests.ofFile(file);
        results.add(
            pool.submit(
                () -> {
                  start.await();
                  return store.createIfAbsent(
                      "race/big.bin", Body.ofFile(file, d.size(), d.md5Base64()), META);
                }));
      }
      start.countDown();
      int winners = 0;
      int winner = -1;
      for (int w = 0; w < writers; w++) {
        if (results.get(w).get(60, TimeUnit.SECONDS) == CreateResult.CREATED) {
          winners++;
          winner = w;
        }
      }
      pool.shutdown();
      assertEquals(1, winners);
      assertArrayEquals(bodies.get(winner), store.read("race/big.bin").orElseThrow());
    }
  }

  /** A file rewritten after it was planned (a build still running) is refused, never stored. */
  @Test
  void createIfAbsent_fileChangedSincePlanned_isRefusedAndNothingStored() throws Exception {
    for (int size : new int[] {1000, 6 * 1024 * 1024 + 7}) {
      Path file = tmp.resolve("changing-" + size);
      Files.write(file, TestFiles.random(size, 21));
      var planned = Digests.ofFile(file);
      Files.write(file, TestFiles.random(size, 22)); // same size, other bytes
      var meta = new ObjectMetadata("application/wasm", "c", Map.of("sha256", planned.sha256Hex()));
      try (ObjectStore store = newStore(5L * 1024 * 1024)) {
        var e =
            org.junit.jupiter.api.Assertions.assertThrows(
                dev.cdnpub.core.CdnpubException.class,
                () ->
                    store.createIfAbsent(
                        "v/changing.wasm",
                        Body.ofFile(file, planned.size(), planned.md5Base64()),
                        meta));
        assertEquals(dev.cdnpub.core.ExitCode.USAGE, e.exitCode(), e.getMessage());
        assertTrue(e.getMessage().contains("changed while it was being published"), e.getMessage());
        assertTrue(store.stat("v/changing.wasm").isEmpty(), "nothing stored for size " + size);
      }
    }
  }
}
