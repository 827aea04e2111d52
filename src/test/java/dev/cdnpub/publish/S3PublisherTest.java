package dev.cdnpub.publish;

import dev.cdnpub.store.ObjectStore;
import dev.cdnpub.testing.S3ProxyServer;

class S3PublisherTest extends PublisherContract {
  static final S3ProxyServer server = S3ProxyServer.shared();



  @Override
  ObjectStore newStore() {
    return server.store(server.newBucket(), 64L * 1024 * 1024);
  }
}
