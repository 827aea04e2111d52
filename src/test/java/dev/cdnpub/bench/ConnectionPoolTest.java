package dev.cdnpub.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cdnpub.testing.CliRun;
import dev.cdnpub.testing.S3ProxyServer;
import dev.cdnpub.testing.TestFiles;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --concurrency N} must mean N uploads on the wire: the S3 client's connection pool is sized
 * for the largest allowed value, not the HTTP client's default of 50.
 */
class ConnectionPoolTest {
  @TempDir Path tmp;

  @Test
  void publish_withConcurrencyAboveFifty_opensAConnectionPerUpload() throws Exception {
    S3ProxyServer s3 = S3ProxyServer.shared();
    // A long round trip keeps every upload in flight at once, so each needs its own connection.
    try (DelayProxy slow = new DelayProxy(s3.endpoint().getPort(), 300, false)) {
      Map<String, String> env = new java.util.HashMap<>(s3.r2Env(s3.newBucket()));
      env.put("CDNPUB_R2_ENDPOINT", URI.create("http://127.0.0.1:" + slow.port()).toString());
      env.put("CDNPUB_LIBRARY", "chatleo");
      Path dir = TestFiles.library(tmp.resolve("dist"), "pool", 80);
      slow.connectionsAndReset();

      CliRun run =
          CliRun.run(
              tmp,
              env,
              "publish",
              "dist",
              "--version",
              "1.0.0",
              "--no-aliases",
              "--concurrency",
              "80");

      assertEquals(0, run.exitCode, run.toString());
      int connections = slow.connectionsAndReset();
      assertTrue(connections > 70, "80 uploads at once used " + connections + " connections");
    }
  }
}
