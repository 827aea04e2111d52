package dev.cdnpub.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cdnpub.core.CdnpubException;
import dev.cdnpub.core.ExitCode;
import dev.cdnpub.testing.FaultProxy;
import dev.cdnpub.testing.FaultProxy.Rule;
import dev.cdnpub.testing.S3ProxyServer;
import dev.cdnpub.testing.ShortTimeouts;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * A small object's first write attempt goes without the S3 client's pipeline ({@link DirectPut}):
 * the production store ({@link S3ObjectStore#forBucket}) against S3Proxy, which checks every
 * signature, through a {@link FaultProxy} that records which requests the S3 client sent (they
 * carry its {@code amz-sdk-request} header) and injects faults.
 */
class DirectPutTest {
  static final S3ProxyServer s3 = S3ProxyServer.shared();
  static final ObjectMetadata JS =
      new ObjectMetadata(
          "text/javascript; charset=utf-8",
          "public, max-age=31536000, immutable",
          Map.of("sha256", "f00"));

  FaultProxy proxy;
  String bucket;

  /** Per PUT, in order: the S3 client's {@code amz-sdk-request} header, or "direct". */
  final List<String> puts = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    bucket = s3.newBucket();
    proxy = new FaultProxy(s3.endpoint());
    proxy.add(
        Rule.when(
                r -> {
                  if (r.method().equals("PUT")) {
                    String sdk = r.header("amz-sdk-request");
                    puts.add(sdk == null ? "direct" : sdk);
                  }
                  return false;
                })
            .pass());
  }

  @AfterEach
  void stop() {
    proxy.close();
  }

  S3ObjectStore store(S3ClientLimits limits) {
    return store(limits, S3ProxyServer.SECRET_KEY, notice -> {}, Clock.systemUTC());
  }

  /** The production store through the proxy; {@code clock} signs the direct attempts. */
  S3ObjectStore store(
      S3ClientLimits limits, String secretKey, Consumer<String> notices, Clock clock) {
    return S3ObjectStore.forBucket(
        proxy.endpoint(),
        bucket,
        S3ProxyServer.ACCESS_KEY,
        secretKey,
        limits,
        Long.MAX_VALUE,
        notices,
        clock);
  }

  /** Limits with a 1 s connect timeout and one backoff base for every failure. */
  static S3ClientLimits limits(
      Duration socket,
      Duration attempt,
      Duration call,
      int attempts,
      Duration backoff,
      Duration noticeWait,
      Duration maxWait) {
    return new S3ClientLimits(
        Duration.ofSeconds(1),
        socket,
        attempt,
        call,
        attempts,
        backoff,
        backoff,
        noticeWait,
        maxWait);
  }

  @Test
  void smallWrites_goDirect_andTheServerAcceptsTheirSignatures_forKeysOfEveryShape(
      @TempDir Path dir) throws Exception {
    List<String> keys =
        List.of(
            "v1.2.3/lib/loader.js",
            "v1.2.3/lib/a dir/x+y (1).js",
            "v1.2.3/lib/é/ü~!$&'=,;@.js",
            "v1.2.3/lib/deep/er/日本/データ.js");
    Path file = Files.writeString(dir.resolve("f.js"), "from a file();");
    try (S3ObjectStore store = store(S3ClientLimits.DEFAULT)) {
      for (String key : keys) {
        byte[] bytes = ("x(" + key + ");").getBytes(StandardCharsets.UTF_8);
        assertEquals(CreateResult.CREATED, store.createIfAbsent(key, Body.ofBytes(bytes), JS));
        assertArrayEquals(bytes, store.read(key).orElseThrow(), key);
        ObjectInfo info = store.stat(key).orElseThrow();
        assertEquals("text/javascript; charset=utf-8", info.contentType());
        assertEquals("public, max-age=31536000, immutable", info.cacheControl());
        assertEquals(Map.of("sha256", "f00"), info.userMetadata());
      }
      Body fromFile =
          Body.ofFile(file, Files.size(file), Digests.md5Base64(Files.readAllBytes(file)));
      assertEquals(CreateResult.CREATED, store.createIfAbsent("v1.2.3/lib/f.js", fromFile, JS));
      assertEquals("from a file();", new String(store.read("v1.2.3/lib/f.js").orElseThrow()));
    }
    assertEquals(List.of("direct", "direct", "direct", "direct", "direct"), puts);
  }

  @Test
  void aTakenKey_isAlreadyExists_inOneRequest() {
    try (S3ObjectStore store = store(S3ClientLimits.DEFAULT)) {
      Body first = Body.ofBytes("one".getBytes(StandardCharsets.UTF_8));
      Body second = Body.ofBytes("two".getBytes(StandardCharsets.UTF_8));
      assertEquals(CreateResult.CREATED, store.createIfAbsent("k.js", first, JS));
      assertEquals(CreateResult.ALREADY_EXISTS, store.createIfAbsent("k.js", second, JS));
      assertEquals("one", new String(store.read("k.js").orElseThrow(), StandardCharsets.UTF_8));
    }
    assertEquals(List.of("direct", "direct"), puts);
  }

  /** The S3 client takes over with the attempts left: 3 allowed, so it may make 2. */
  @Test
  void aFailedDirectAttempt_handsTheWriteToTheS3Client_withTheAttemptsLeft() {
    proxy.add(Rule.on("PUT", ".*").times(1).slowDown());
    try (S3ObjectStore store = store(ShortTimeouts.s3(3))) {
      assertEquals(
          CreateResult.CREATED,
          store.createIfAbsent("k.js", Body.ofBytes("x".getBytes(StandardCharsets.UTF_8)), JS));
      assertEquals("x", new String(store.read("k.js").orElseThrow(), StandardCharsets.UTF_8));
    }
    assertEquals(List.of("direct", "attempt=1; max=2"), puts);
  }

  @Test
  void aWriteThatKeepsFailing_makesTheAttemptsAllowed_andNoMore() {
    proxy.add(Rule.on("PUT", ".*").slowDown());
    try (S3ObjectStore store = store(ShortTimeouts.s3(3))) {
      CdnpubException e =
          assertThrows(
              CdnpubException.class,
              () -> store.createIfAbsent("k.js", Body.ofBytes(new byte[] {1}), JS));
      assertEquals(ExitCode.REMOTE, e.exitCode());
      assertTrue(e.getMessage().contains("HTTP 503 SlowDown"), e.getMessage());
    }
    assertEquals(List.of("direct", "attempt=1; max=2", "attempt=2; max=2"), puts);
  }

  /** The S3 client's own answer to a refusal: the store's one error path reports it. */
  @Test
  void aRefusedWrite_isReportedAsTheS3ClientReportsIt_withoutTheSecret() {
    try (S3ObjectStore store =
        store(ShortTimeouts.s3(3), "not-the-secret-key-0123456789", n -> {}, Clock.systemUTC())) {
      CdnpubException e =
          assertThrows(
              CdnpubException.class,
              () -> store.createIfAbsent("k.js", Body.ofBytes(new byte[] {1}), JS));
      assertEquals(ExitCode.AUTH, e.exitCode(), e.getMessage());
      assertTrue(!e.getMessage().contains("not-the-secret-key"), e.getMessage());
    }
    assertEquals(List.of("direct", "attempt=1; max=2"), puts);
  }

  /**
   * A stalled answer ends at the attempt timeout (1.5 s), not at the 30 s socket timeout, for the
   * direct attempt as for the S3 client's; the two together stay within the operation's time.
   */
  @Test
  void aStalledAttempt_endsAtTheAttemptTimeout_andTheWriteWithinTheCallTimeout() {
    proxy.add(Rule.on("PUT", ".*").stall());
    S3ClientLimits limits =
        limits(
            Duration.ofSeconds(30),
            Duration.ofMillis(1_500),
            Duration.ofMillis(2_200),
            4,
            Duration.ofMillis(10),
            Duration.ofSeconds(3),
            Duration.ofSeconds(30));
    try (S3ObjectStore store = store(limits)) {
      long start = System.nanoTime();
      CdnpubException e =
          assertThrows(
              CdnpubException.class,
              () -> store.createIfAbsent("k.js", Body.ofBytes(new byte[] {1}), JS));
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertEquals(ExitCode.REMOTE, e.exitCode());
      assertTrue(
          millis >= 2_100 && millis < 3_500,
          "1.5 s direct, then the 0.7 s left of the 2.2 s operation; took " + millis + " ms");
    }
    assertEquals("direct", puts.get(0));
    assertEquals(2, puts.size(), puts.toString());
  }

  /**
   * On a machine whose clock is an hour ahead, the store refuses the first direct attempt (S3Proxy
   * checks the signing time, as S3 does); the S3 client writes that object, and the direct attempts
   * after it sign with the store's time from the refusal's {@code Date}.
   */
  @Test
  void aClockAnHourAhead_isCorrectedFromTheRefusal_andLaterWritesGoDirect() {
    Clock ahead = Clock.offset(Clock.systemUTC(), Duration.ofHours(1));
    try (S3ObjectStore store =
        store(ShortTimeouts.s3(3), S3ProxyServer.SECRET_KEY, notice -> {}, ahead)) {
      for (String key : List.of("a.js", "b.js", "c.js")) {
        assertEquals(
            CreateResult.CREATED, store.createIfAbsent(key, Body.ofBytes(new byte[] {1}), JS));
      }
    }
    assertEquals(List.of("direct", "attempt=1; max=2", "direct", "direct"), puts);
  }

  /**
   * After a throttled direct attempt the S3 client's attempt comes after the wait its retry
   * strategy makes after a first failure (full jitter up to the 400 ms base here), not at once: 8
   * writes wait ~1.6 s in all (under 0.5 s with odds of about 1 in 7,000).
   */
  @Test
  void aThrottledDirectAttempt_waitsAsTheRetryStrategyWould_beforeTheS3ClientTakesOver() {
    proxy.add(
        Rule.when(r -> r.method().equals("PUT") && r.header("amz-sdk-request") == null).slowDown());
    S3ClientLimits limits =
        limits(
            Duration.ofSeconds(5),
            Duration.ofSeconds(5),
            Duration.ofSeconds(20),
            3,
            Duration.ofMillis(400),
            Duration.ofSeconds(3),
            Duration.ofSeconds(30));
    try (S3ObjectStore store = store(limits)) {
      long start = System.nanoTime();
      for (int i = 0; i < 8; i++) {
        assertEquals(
            CreateResult.CREATED,
            store.createIfAbsent("k" + i + ".js", Body.ofBytes(new byte[] {1}), JS));
      }
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertTrue(millis >= 500, "8 waits of up to 400 ms each, took " + millis + " ms");
    }
    assertEquals(16, puts.size(), puts.toString());
  }

  /**
   * A direct attempt answered 429 with a {@code Retry-After} of an hour: the wait before the S3
   * client takes over honours it up to the longest wait allowed (1 s here), and is announced.
   */
  @Test
  void aRetryAfter_isHonouredUpToTheLongestWait_andAnnounced() {
    proxy.add(Rule.on("PUT", ".*").times(1).tooMany(3600));
    S3ClientLimits limits =
        limits(
            Duration.ofSeconds(5),
            Duration.ofSeconds(5),
            Duration.ofSeconds(20),
            3,
            Duration.ofMillis(10),
            Duration.ofMillis(500),
            Duration.ofSeconds(1));
    List<String> notices = new CopyOnWriteArrayList<>();
    try (S3ObjectStore store =
        store(limits, S3ProxyServer.SECRET_KEY, notices::add, Clock.systemUTC())) {
      long start = System.nanoTime();
      assertEquals(
          CreateResult.CREATED, store.createIfAbsent("k.js", Body.ofBytes(new byte[] {1}), JS));
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertTrue(millis >= 950 && millis < 5_000, "waited 1 s, took " + millis + " ms");
    }
    assertEquals(List.of("R2 answered 429; retrying in 1 s"), notices);
    assertEquals(List.of("direct", "attempt=1; max=2"), puts);
  }

  /**
   * A file that cannot be read when its turn comes: the direct attempt sends nothing, and the S3
   * client's attempt reports it, as it did before there was a direct attempt.
   */
  @Test
  void aFileThatCannotBeRead_isReportedByTheS3Client(@TempDir Path dir) {
    Body gone = Body.ofFile(dir.resolve("gone.js"), 3, Digests.md5Base64(new byte[3]));
    RuntimeException direct;
    try (S3ObjectStore store = store(ShortTimeouts.s3(3))) {
      direct = assertThrows(RuntimeException.class, () -> store.createIfAbsent("k.js", gone, JS));
    }
    RuntimeException sdkOnly;
    try (S3ObjectStore store = store(ShortTimeouts.s3(1))) {
      sdkOnly = assertThrows(RuntimeException.class, () -> store.createIfAbsent("k.js", gone, JS));
    }
    assertEquals(sdkOnly.getClass(), direct.getClass());
    assertEquals(sdkOnly.getMessage(), direct.getMessage());
    assertEquals(List.of(), puts, "nothing was sent for a file that could not be read");
  }

  /**
   * A direct write of a file opens it twice over plain HTTP (the signature's hash, the body) and
   * closes both.
   */
  @Test
  void directWritesOfFiles_closeWhatTheyOpen(@TempDir Path dir) throws Exception {
    Path fds = Path.of("/proc/self/fd");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(fds), "Linux's /proc");
    Path file = Files.writeString(dir.resolve("f.js"), "f();");
    Body body = Body.ofFile(file, Files.size(file), Digests.md5Base64(Files.readAllBytes(file)));
    try (S3ObjectStore store = store(S3ClientLimits.DEFAULT)) {
      store.createIfAbsent("warm.js", body, JS);
      long before = openFiles(fds);
      for (int i = 0; i < 200; i++) {
        store.createIfAbsent("f" + i + ".js", body, JS);
      }
      long after = openFiles(fds);
      assertTrue(after - before < 20, "open files " + before + " -> " + after);
    }
    assertEquals(201, puts.size());
    assertTrue(puts.stream().allMatch("direct"::equals), puts.toString());
  }

  private static long openFiles(Path fds) throws Exception {
    try (var list = Files.list(fds)) {
      return list.count();
    }
  }

  @Test
  void withOneAttemptAllowed_everyWriteGoesThroughTheS3Client() {
    try (S3ObjectStore store = store(ShortTimeouts.s3(1))) {
      store.createIfAbsent("k.js", Body.ofBytes(new byte[] {1}), JS);
    }
    assertEquals(List.of("attempt=1; max=1"), puts);
  }

  @Test
  void aBodyOf1MiB_goesThroughTheS3Client_withExpectContinue() {
    List<String> expect = new CopyOnWriteArrayList<>();
    proxy.add(
        Rule.when(
                r -> {
                  if (r.method().equals("PUT")) {
                    expect.add(String.valueOf(r.header("Expect")));
                  }
                  return false;
                })
            .pass());
    try (S3ObjectStore store = store(S3ClientLimits.DEFAULT)) {
      store.createIfAbsent("small.js", Body.ofBytes(new byte[(1 << 20) - 1]), JS);
      store.createIfAbsent("large.js", Body.ofBytes(new byte[1 << 20]), JS);
    }
    assertEquals(List.of("direct", "attempt=1; max=4"), puts);
    assertEquals(List.of("null", "100-continue"), expect);
  }

  /** A publish that only wrote directly still knows its round trip (to size its uploads). */
  @Test
  void directWrites_areTimedOnTheWire() {
    try (S3ObjectStore store = store(S3ClientLimits.DEFAULT)) {
      assertTrue(store.roundTripMillis().isEmpty());
      store.createIfAbsent("k.js", Body.ofBytes(new byte[] {1}), JS);
      assertTrue(store.roundTripMillis().isPresent());
    }
    assertEquals(List.of("direct"), puts);
  }

  /**
   * As the S3 client signs: the body's SHA-256 over plain HTTP; UNSIGNED-PAYLOAD over HTTPS, where
   * TLS protects the body. The signing time is the clock's.
   */
  @Test
  void theSignature_coversTheBodyOverPlainHttpOnly() {
    byte[] bytes = "x();".getBytes(StandardCharsets.UTF_8);
    Clock clock = Clock.fixed(Instant.parse("2026-03-04T05:06:07Z"), ZoneOffset.UTC);
    for (String endpoint : List.of("http://127.0.0.1:9", "https://acc.r2.cloudflarestorage.com")) {
      try (DirectPut direct =
          new DirectPut(
              null,
              URI.create(endpoint),
              "releases",
              AwsCredentialsIdentity.create("AKID", "secret"),
              S3ClientLimits.DEFAULT,
              config -> {},
              notice -> {},
              clock,
              new WireTimes())) {
        SignedRequest signed = direct.sign("v1/a b.js", Body.ofBytes(bytes), JS);
        var request = signed.request();
        assertEquals(endpoint + "/releases/v1/a%20b.js", request.getUri().toString());
        String payloadHash = request.firstMatchingHeader("x-amz-content-sha256").orElseThrow();
        if (endpoint.startsWith("https")) {
          assertEquals("UNSIGNED-PAYLOAD", payloadHash);
        } else {
          assertEquals(Digests.sha256Hex(bytes), payloadHash);
        }
        assertEquals("20260304T050607Z", request.firstMatchingHeader("X-Amz-Date").orElseThrow());
        String auth = request.firstMatchingHeader("Authorization").orElseThrow();
        assertTrue(auth.contains("Credential=AKID/20260304/auto/s3/aws4_request"), auth);
        assertTrue(
            auth.contains(
                "SignedHeaders=cache-control;content-length;content-md5;content-type;host;"
                    + "if-none-match;x-amz-content-sha256;x-amz-date;x-amz-meta-sha256,"),
            auth);
        assertNull(request.firstMatchingHeader("amz-sdk-request").orElse(null));
      }
    }
  }
}
