package dev.cdnpub.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cdnpub.testing.FaultProxy;
import dev.cdnpub.testing.FaultProxy.Rule;
import dev.cdnpub.testing.S3ProxyServer;
import dev.cdnpub.testing.ShortTimeouts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The S3 client built by {@link S3ObjectStore#r2ClientBuilder} never waits longer than its limits.
 */
class S3ClientLimitsTest {
  static final S3ProxyServer s3 = S3ProxyServer.shared();
  FaultProxy proxy;
  String bucket;

  @BeforeEach
  void start() throws Exception {
    bucket = s3.newBucket();
    proxy = new FaultProxy(s3.endpoint());
    proxy.add(Rule.on(null, ".*").stall());
  }

  @AfterEach
  void stop() {
    proxy.close();
  }

  S3Client client(S3ClientLimits limits) {
    return S3ObjectStore.r2ClientBuilder(
            proxy.endpoint(), S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY, limits)
        .build();
  }

  static long millisToFail(Runnable call) {
    long start = System.nanoTime();
    assertThrows(SdkClientException.class, call::run);
    return Duration.ofNanos(System.nanoTime() - start).toMillis();
  }

  /**
   * A throttled write whose Retry-After asks for an hour: the wait is capped ({@code maxWait}, 1 s
   * here) and, being at least {@code noticeWait}, announced, naming only the status code.
   */
  @Test
  void longRetryWait_isCappedAndAnnounced() {
    proxy.clearRules();
    Rule throttled = proxy.add(Rule.on("PUT", ".*").times(1).tooMany(3600));
    S3ClientLimits limits =
        new S3ClientLimits(
            Duration.ofSeconds(1),
            Duration.ofSeconds(5),
            Duration.ofSeconds(10),
            Duration.ofSeconds(20),
            3,
            Duration.ofMillis(10),
            Duration.ofMillis(10),
            Duration.ofMillis(500),
            Duration.ofSeconds(1));
    List<String> notices = new ArrayList<>();
    try (S3Client client =
        S3ObjectStore.r2ClientBuilder(
                proxy.endpoint(),
                S3ProxyServer.ACCESS_KEY,
                S3ProxyServer.SECRET_KEY,
                limits,
                notices::add)
            .build()) {
      long start = System.nanoTime();
      client.putObject(b -> b.bucket(bucket).key("k"), RequestBody.fromString("x"));
      long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
      assertEquals(1, throttled.fired());
      assertTrue(millis < 5_000, "the hour asked for was capped at 1 s, took " + millis + " ms");
      assertEquals(List.of("R2 answered 429; retrying in 1 s"), notices);
    }
  }

  @Test
  void shortRetryWaits_passSilently() {
    proxy.clearRules();
    proxy.add(Rule.on("PUT", ".*").times(1).slowDown());
    List<String> notices = new ArrayList<>();
    try (S3Client client =
        S3ObjectStore.r2ClientBuilder(
                proxy.endpoint(),
                S3ProxyServer.ACCESS_KEY,
                S3ProxyServer.SECRET_KEY,
                ShortTimeouts.s3(3),
                notices::add)
            .build()) {
      client.putObject(b -> b.bucket(bucket).key("k"), RequestBody.fromString("x"));
      assertEquals(List.of(), notices);
    }
  }

  @Test
  void stalledAnswer_eachAttemptEndsAtTheSocketTimeout_andAttemptsAreBounded() {
    try (S3Client client = client(ShortTimeouts.s3(2))) {
      long millis = millisToFail(() -> client.headObject(b -> b.bucket(bucket).key("k")));
      assertTrue(
          millis >= 900 && millis < 3_000,
          "two attempts of about 0.5 s each, took " + millis + " ms");
      assertEquals(2, proxy.seen().size(), proxy.seen().toString());
    }
  }

  @Test
  void stalledUpload_theServerReadsNoBody_endsAtTheAttemptTimeout() {
    // The socket timeout (30 s) would not end this soon, and covers reads only: a client blocked
    // writing a body the server does not read (or waiting for its 100 Continue) is ended by the
    // attempt timeout.
    S3ClientLimits limits =
        new S3ClientLimits(
            Duration.ofSeconds(1),
            Duration.ofSeconds(30),
            Duration.ofMillis(1_500),
            Duration.ofSeconds(20),
            1,
            Duration.ofMillis(10),
            Duration.ofMillis(10),
            Duration.ofSeconds(3),
            Duration.ofSeconds(30));
    byte[] body = new byte[32 * 1024 * 1024];
    try (S3Client client = client(limits)) {
      long millis =
          millisToFail(
              () ->
                  client.putObject(b -> b.bucket(bucket).key("big"), RequestBody.fromBytes(body)));
      assertTrue(
          millis >= 1_400 && millis < 5_000,
          "ended by the 1.5 s attempt timeout, took " + millis + " ms");
    }
  }

  @Test
  void callTimeout_boundsAllAttemptsTogether() {
    S3ClientLimits limits =
        new S3ClientLimits(
            Duration.ofSeconds(1),
            Duration.ofMillis(500),
            Duration.ofSeconds(3),
            Duration.ofMillis(1_500),
            10,
            Duration.ofMillis(10),
            Duration.ofMillis(10),
            Duration.ofSeconds(3),
            Duration.ofSeconds(30));
    try (S3Client client = client(limits)) {
      long start = System.nanoTime();
      SdkClientException e =
          assertThrows(
              SdkClientException.class, () -> client.headObject(b -> b.bucket(bucket).key("k")));
      long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
      assertInstanceOf(ApiCallTimeoutException.class, e, e.toString());
      assertTrue(millis < 3_500, "10 attempts of 0.5 s cut at 1.5 s, took " + millis + " ms");
      assertTrue(proxy.seen().size() < 10, proxy.seen().toString());
    }
  }

  @Test
  void attempts_areCdnpubsEvenWhenTheAwsSettingsAskForMore() {
    proxy.clearRules();
    proxy.add(Rule.on(null, ".*").slowDown());
    String before = System.getProperty("aws.maxAttempts");
    System.setProperty("aws.maxAttempts", "7"); // what AWS_MAX_ATTEMPTS would say
    try (S3Client client = client(ShortTimeouts.s3(2))) {
      assertThrows(
          software.amazon.awssdk.services.s3.model.S3Exception.class,
          () -> client.headObject(b -> b.bucket(bucket).key("k")));
      assertEquals(2, proxy.seen().size(), proxy.seen().toString());
    } finally {
      if (before == null) {
        System.clearProperty("aws.maxAttempts");
      } else {
        System.setProperty("aws.maxAttempts", before);
      }
    }
  }

  @Test
  void defaults_areTheDocumentedOnes() {
    S3ClientLimits d = S3ClientLimits.DEFAULT;
    assertEquals(Duration.ofSeconds(10), d.connectTimeout());
    assertEquals(Duration.ofSeconds(30), d.socketTimeout());
    assertEquals(Duration.ofMinutes(5), d.attemptTimeout());
    assertEquals(Duration.ofMinutes(15), d.callTimeout());
    assertEquals(4, d.maxAttempts());
  }
}
