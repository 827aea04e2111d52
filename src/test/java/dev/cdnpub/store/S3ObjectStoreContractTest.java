package dev.cdnpub.store;

import dev.cdnpub.testing.S3ProxyServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The store contract against a real S3 server (S3Proxy), through the R2-configured AWS SDK client. */
class S3ObjectStoreContractTest extends ObjectStoreContract {
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
  ObjectStore newStore(long multipartThreshold) {
    return server.store(server.newBucket(), multipartThreshold);
  }
}
