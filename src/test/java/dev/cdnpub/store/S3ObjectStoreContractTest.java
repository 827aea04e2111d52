package dev.cdnpub.store;

import dev.cdnpub.testing.S3ProxyServer;

/** The store contract against a real S3 server (S3Proxy), through the R2-configured AWS SDK client. */
class S3ObjectStoreContractTest extends ObjectStoreContract {
  static final S3ProxyServer server = S3ProxyServer.shared();



  @Override
  ObjectStore newStore(long multipartThreshold) {
    return server.store(server.newBucket(), multipartThreshold);
  }
}
