package dev.cdnpub.alias;

import dev.cdnpub.store.LocalObjectStore;
import dev.cdnpub.store.ObjectStore;
import java.nio.file.Files;

class LocalAliasServiceTest extends AliasServiceContract {
  @Override
  ObjectStore newStore() throws Exception {
    return new LocalObjectStore(Files.createDirectories(tmp.resolve("store")));
  }
}
