package dev.cdnpub.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cdnpub.testing.S3ProxyServer;
import dev.cdnpub.testing.TestFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The store contract against a real S3 server (S3Proxy), through the R2-configured AWS SDK client.
 */
class S3ObjectStoreContractTest extends ObjectStoreContract {
  static final S3ProxyServer server = S3ProxyServer.shared();

  @Override
  ObjectStore newStore(long multipartThreshold) {
    return server.store(server.newBucket(), multipartThreshold);
  }

  /**
   * More concurrent multipart uploads than the part-buffer budget holds (16 x 6 MiB parts against
   * 64 MiB): the ones without room wait for it, and every object is stored whole.
   */
  @Test
  void createIfAbsent_manyConcurrentMultipartUploads_waitForBufferRoomAndAllComplete()
      throws Exception {
    int uploads = 16;
    long part = 6L * 1024 * 1024;
    List<byte[]> data = new ArrayList<>();
    List<Path> files = new ArrayList<>();
    for (int i = 0; i < uploads; i++) {
      data.add(TestFiles.random((int) part + 1000 + i, 100 + i));
      files.add(Files.write(tmp.resolve("big-" + i + ".wasm"), data.get(i)));
    }
    ObjectMetadata meta = new ObjectMetadata("application/wasm", "no-store", Map.of());
    try (S3ObjectStore store =
        new S3ObjectStore(
            server.client(), server.newBucket(), server.endpoint().toString(), part, part)) {
      ExecutorService pool = Executors.newFixedThreadPool(uploads);
      try {
        List<Future<CreateResult>> results = new ArrayList<>();
        for (int i = 0; i < uploads; i++) {
          Path file = files.get(i);
          String key = "v/big-" + i + ".wasm";
          results.add(
              pool.submit(
                  () -> {
                    var d = Digests.ofFile(file);
                    return store.createIfAbsent(
                        key, Body.ofFile(file, d.size(), d.md5Base64()), meta);
                  }));
        }
        for (Future<CreateResult> r : results) {
          assertEquals(CreateResult.CREATED, r.get());
        }
      } finally {
        pool.shutdownNow();
      }
      for (int i = 0; i < uploads; i++) {
        assertArrayEquals(data.get(i), store.read("v/big-" + i + ".wasm").orElseThrow());
      }
      assertEquals(
          S3ObjectStore.PART_BUFFER_BUDGET_MIB,
          S3ObjectStore.availablePartBufferMib(),
          "every buffer was given back");
    }
  }
}
