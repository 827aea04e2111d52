package dev.cdnpub.alias;

import dev.cdnpub.store.ObjectStore;
import dev.cdnpub.testing.S3ProxyServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class S3AliasServiceTest extends AliasServiceContract {
  static S3ProxyServer server;

  @BeforeAll
  static void start() throws Exception {
    server = new S3ProxyServer();
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  @Override
  ObjectStore newStore() {
    return server.store(server.newBucket(), 64L * 1024 * 1024);
  }
}
