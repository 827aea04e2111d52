package dev.cdnpub.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cdnpub.core.CdnpubException;
import java.nio.file.Files;
import java.util.Map;
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
}
