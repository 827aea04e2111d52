package dev.cdnpub.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cdnpub.core.CdnpubException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LocalObjectStoreContractTest extends ObjectStoreContract {
  private int stores;

  @Override
  ObjectStore newStore(long multipartThreshold) throws Exception {
    return new LocalObjectStore(Files.createDirectories(tmp.resolve("store" + stores++)));
  }

  @Test
  void createIfAbsent_keyThatClimbsOut_isRefused() throws Exception {
    try (ObjectStore store = newStore(0)) {
      for (String key : new String[] {"../x", "a/../../x", "/etc/x", "a//b", "a\\b"}) {
        assertThrows(
            CdnpubException.class,
            () -> store.createIfAbsent(key, Body.ofBytes(new byte[1]), META),
            key);
      }
      assertEquals(
          0, Files.list(tmp).filter(p -> !p.getFileName().toString().startsWith("store")).count());
    }
  }

  @Test
  void stat_objectWhoseMetadataWasLost_reportsItsRealDigest() throws Exception {
    LocalObjectStore store = (LocalObjectStore) newStore(0);
    store.createIfAbsent(
        "v/a.js",
        Body.ofBytes("abc".getBytes()),
        new ObjectMetadata("t", "c", Map.of("note", "x")));
    Files.delete(store.root().resolve("meta/v/a.js"));
    assertEquals(
        Digests.sha256Hex("abc".getBytes()),
        store.stat("v/a.js").orElseThrow().userMetadata().get("sha256"));
  }

  @Test
  void symbolicLinksInTheStore_areNeverFollowed_forReadsListsOrWrites() throws Exception {
    LocalObjectStore store = (LocalObjectStore) newStore(0);
    store.createIfAbsent("v1/lib/a.js", Body.ofBytes("a".getBytes()), META);
    Path outside = Files.createDirectories(tmp.resolve("outside/lib"));
    Files.writeString(outside.resolve("secret.txt"), "secret");
    Path objects = store.root().resolve("objects");
    Files.createSymbolicLink(objects.resolve("v9"), tmp.resolve("outside"));
    Files.createSymbolicLink(objects.resolve("v1/lib/s.txt"), outside.resolve("secret.txt"));
    for (String key : List.of("v9/lib/secret.txt", "v1/lib/s.txt")) {
      assertEquals(Optional.empty(), store.stat(key), key);
      assertEquals(Optional.empty(), store.read(key), key);
      assertEquals(Optional.empty(), store.readStream(key, (info, in) -> in.readAllBytes()), key);
    }
    assertEquals(List.of("v1/lib/a.js"), store.list("v"));
    assertThrows(
        CdnpubException.class,
        () -> store.createIfAbsent("v9/lib/new.js", Body.ofBytes("x".getBytes()), META));
    assertFalse(Files.exists(outside.resolve("new.js")), "nothing written through the link");
    assertEquals("a", new String(store.read("v1/lib/a.js").orElseThrow()));
    store.close();
  }
}
