package dev.cdnpub.alias;

import dev.cdnpub.store.ObjectStore;
import dev.cdnpub.testing.S3ProxyServer;

class S3AliasServiceTest extends AliasServiceContract {
  static final S3ProxyServer server = S3ProxyServer.shared();

  @Override
  ObjectStore newStore() {
    return server.store(server.newBucket(), 64L * 1024 * 1024);
  }
}
