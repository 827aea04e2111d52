package dev.cdnpub.cli;

import dev.cdnpub.testing.CliRun;
import dev.cdnpub.testing.KvApiMock;
import dev.cdnpub.testing.S3ProxyServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * Canary commands on R2: S3Proxy holds the log, WireMock is the KV API; KV values and metadata are
 * read from the multipart bodies on the wire.
 */
class R2CanaryCommandTest extends CanaryCommandContract {
  static final S3ProxyServer s3 = S3ProxyServer.shared();
  static KvApiMock kv;
  Map<String, String> env;

  @BeforeAll
  static void startKvApi() {
    kv = new KvApiMock();
  }

  @AfterAll
  static void stopKvApi() {
    kv.close();
  }

  @BeforeEach
  void freshBucketAndKv() {
    kv.reset();
    env = s3.r2Env(s3.newBucket());
    env.putAll(kv.env());
    env.put("CDNPUB_LIBRARY", "chatleo");
    env.put("GITHUB_ACTOR", "octocat");
  }

  @Override
  CliRun cdnpub(String... args) {
    List<Duration> waits = new ArrayList<>();
    return CliRun.run(work, env, KvApiMock.noWait(waits), args);
  }

  @Override
  String kvValue(String alias) {
    return kv.lastPut("chatleo%2F" + alias);
  }

  @Override
  String kvMetadata(String alias) {
    return kv.lastMetadata("chatleo%2F" + alias);
  }

  @Override
  String kvWrites() {
    return String.join("\n", kv.puts());
  }

  @Override
  void loseKv() {
    kv.reset();
  }
}
