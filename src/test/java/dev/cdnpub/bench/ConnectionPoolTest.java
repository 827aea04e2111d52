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
      Map<String, String> env = env(s3, slow);
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

  /**
   * Without {@code --concurrency}, the uploads in flight follow the round trip to the store: at 300
   * ms (and at least 2 ms of CPU per upload on any machine) that is the most a choice makes, 128,
   * far above the fixed 48 this replaced; on the same store without the delay, far fewer.
   */
  @Test
  void publish_withoutConcurrency_keepsMoreUploadsInFlightTheLongerTheRoundTrip() throws Exception {
    S3ProxyServer s3 = S3ProxyServer.shared();
    Path dir = TestFiles.library(tmp.resolve("dist"), "auto", 150);
    try (DelayProxy slow = new DelayProxy(s3.endpoint().getPort(), 300, false)) {
      Map<String, String> env = env(s3, slow);
      slow.connectionsAndReset();

      CliRun run =
          CliRun.onSystemClock(
              tmp, env, "publish", "dist", "--version", "1.0.0", "--no-aliases", "--verbose");

      assertEquals(0, run.exitCode, run.toString());
      int cores = Runtime.getRuntime().availableProcessors();
      int expected = Math.min(128, (int) Math.ceil(300.0 * cores / 2));
      assertTrue(run.out.contains(", " + expected + " at a time (from a "), run.toString());
      // the round trip as timed on the wire: never below the delay line's, and not far above it
      java.util.regex.Matcher rt =
          java.util.regex.Pattern.compile("from a (\\d+) ms round trip").matcher(run.out);
      assertTrue(rt.find(), run.out);
      long measured = Long.parseLong(rt.group(1));
      assertTrue(measured >= 300 && measured < 600, "a 300 ms round trip measured " + measured);
      int connections = slow.connectionsAndReset();
      assertTrue(connections > 100, "150 uploads at 300 ms used " + connections + " connections");
    }
    CliRun near =
        CliRun.onSystemClock(
            tmp,
            env(s3, null),
            "publish",
            "dist",
            "--version",
            "1.0.1",
            "--no-aliases",
            "--verbose");
    assertEquals(0, near.exitCode, near.toString());
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile(", (\\d+) at a time \\(from a (\\d+) ms round trip\\)")
            .matcher(near.out);
    assertTrue(m.find(), near.toString());
    int chosen = Integer.parseInt(m.group(1));
    assertTrue(chosen < 128, "without a delay " + near.out);
  }

  /**
   * cdnpub's environment for a new bucket of S3Proxy, reached through {@code proxy} if not null.
   */
  private static Map<String, String> env(S3ProxyServer s3, DelayProxy proxy) {
    Map<String, String> env = new java.util.HashMap<>(s3.r2Env(s3.newBucket()));
    if (proxy != null) {
      env.put("CDNPUB_R2_ENDPOINT", URI.create("http://127.0.0.1:" + proxy.port()).toString());
    }
    env.put("CDNPUB_LIBRARY", "chatleo");
    return env;
  }
}
