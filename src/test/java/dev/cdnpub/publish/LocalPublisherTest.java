package dev.cdnpub.publish;

import dev.cdnpub.store.LocalObjectStore;
import dev.cdnpub.store.ObjectStore;
import java.nio.file.Files;

class LocalPublisherTest extends PublisherContract {
  private int n;

  @Override
  ObjectStore newStore() throws Exception {
    return new LocalObjectStore(Files.createDirectories(tmp.resolve("store-" + n++)));
  }
}
