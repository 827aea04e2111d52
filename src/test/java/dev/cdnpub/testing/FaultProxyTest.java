package dev.cdnpub.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cdnpub.store.S3ObjectStore;
import dev.cdnpub.testing.FaultProxy.Fault;
import dev.cdnpub.testing.FaultProxy.Rule;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Each fault of {@link FaultProxy} does what it says, in front of S3Proxy and of WireMock. */
class FaultProxyTest {
  static final S3ProxyServer s3 = S3ProxyServer.shared();
  FaultProxy proxy;
  String bucket;
  S3Client direct;
  S3Client viaProxy;

  @BeforeEach
  void start() throws IOException {
    bucket = s3.newBucket();
    proxy = new FaultProxy(s3.endpoint());
    direct = s3.client();
    // No SDK retries: each fault must show itself instead of being retried away.
    viaProxy =
        S3ObjectStore.r2ClientBuilder(
                proxy.endpoint(),
                S3ProxyServer.ACCESS_KEY,
                S3ProxyServer.SECRET_KEY,
                ShortTimeouts.s3(1))
            .build();
  }

  @AfterEach
  void stop() {
    viaProxy.close();
    direct.close();
    proxy.close();
  }

  void put(S3Client client, String key, byte[] body) {
    client.putObject(b -> b.bucket(bucket).key(key).ifNoneMatch("*"), RequestBody.fromBytes(body));
  }

  byte[] read(String key) {
    return direct.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
  }

  boolean exists(String key) {
    try {
      read(key);
      return true;
    } catch (NoSuchKeyException e) {
      return false;
    }
  }

  @Test
  void passThrough_keepsOneKeepAliveConnection_andForwardsBodiesByteForByte() {
    byte[] body = TestFiles.random(70_000, 1);
    put(viaProxy, "a/b c.bin", body);
    assertArrayEquals(
        body, viaProxy.getObjectAsBytes(b -> b.bucket(bucket).key("a/b c.bin")).asByteArray());
    assertEquals(1, viaProxy.listObjectsV2(b -> b.bucket(bucket)).keyCount());
    viaProxy.headObject(b -> b.bucket(bucket).key("a/b c.bin"));
    assertEquals(4, proxy.seen().size(), proxy.seen().toString());
    assertTrue(proxy.seen().stream().allMatch(s -> s.fault() == Fault.PASS));
    assertEquals(
        1, proxy.connections(), "the SDK's client reuses its connection through the proxy");
    assertArrayEquals(body, read("a/b c.bin"));
  }

  @Test
  void expectContinue_largeBodyIsRelayedAfterTheServersInterimAnswer() {
    Rule expecting =
        proxy.add(Rule.when(r -> "100-continue".equalsIgnoreCase(r.header("Expect"))).pass());
    byte[] body = TestFiles.random(1_200_000, 2);
    put(viaProxy, "big.bin", body);
    assertEquals(1, expecting.fired(), "the SDK sent Expect: 100-continue for a 1.2 MB body");
    assertArrayEquals(body, read("big.bin"));
    // A final answer without 100 (the key exists): the client gets the 412, the body is never sent.
    S3Exception taken =
        assertThrows(
            S3Exception.class, () -> put(viaProxy, "big.bin", TestFiles.random(1_200_000, 3)));
    assertEquals(412, taken.statusCode());
    assertArrayEquals(body, read("big.bin"));
  }

  @Test
  void stripHeader_ifNoneMatch_letsTheStoreAcceptASecondCreateOfTheSameKey() throws Exception {
    // If-None-Match is a signed header: only a server that does not check signatures takes the
    // stripped request, as a store ignoring the header would.
    try (S3ProxyServer unsigned = new S3ProxyServer(false);
        FaultProxy strip = new FaultProxy(unsigned.endpoint());
        S3Client client =
            S3ObjectStore.r2ClientBuilder(
                    strip.endpoint(),
                    S3ProxyServer.ACCESS_KEY,
                    S3ProxyServer.SECRET_KEY,
                    ShortTimeouts.s3(1))
                .build()) {
      String b = "strip";
      client.createBucket(c -> c.bucket(b));
      client.putObject(r -> r.bucket(b).key("k").ifNoneMatch("*"), RequestBody.fromString("first"));
      S3Exception refused =
          assertThrows(
              S3Exception.class,
              () ->
                  client.putObject(
                      r -> r.bucket(b).key("k").ifNoneMatch("*"),
                      RequestBody.fromString("second")));
      assertEquals(
          412, refused.statusCode(), "without the fault, the store refuses a second create");

      Rule rule = strip.add(Rule.on("PUT", "/" + b + "/k").stripHeader("If-None-Match"));
      client.putObject(r -> r.bucket(b).key("k").ifNoneMatch("*"), RequestBody.fromString("third"));
      assertEquals(1, rule.fired());
      assertEquals(
          "third",
          client.getObjectAsBytes(r -> r.bucket(b).key("k")).asUtf8String(),
          "the create-only condition never reached the store");
    }
  }

  @Test
  void stripHeader_signedHeader_isRefusedByTheSignatureCheckingServer() {
    proxy.add(Rule.on("PUT", ".*").stripHeader("If-None-Match"));
    S3Exception e = assertThrows(S3Exception.class, () -> put(viaProxy, "k", new byte[] {1}));
    assertEquals(403, e.statusCode(), "the header really was removed on the way");
    assertFalse(exists("k"));
  }

  @Test
  void resetBefore_failsTheClient_andNothingReachesTheServer() {
    proxy.add(Rule.on("PUT", ".*").times(1).resetBefore());
    assertThrows(SdkClientException.class, () -> put(viaProxy, "k", new byte[] {1, 2, 3}));
    assertFalse(exists("k"));
    put(viaProxy, "k", new byte[] {1, 2, 3}); // the rule fired once: the next attempt passes
    assertArrayEquals(new byte[] {1, 2, 3}, read("k"));
    assertEquals(
        List.of(Fault.RESET_BEFORE, Fault.PASS),
        proxy.seen().stream().map(FaultProxy.Seen::fault).toList());
  }

  @Test
  void resetAfter_losesTheAnswer_butTheServerStoredTheObject() {
    proxy.add(Rule.on("PUT", ".*").times(1).resetAfter());
    assertThrows(
        SdkClientException.class,
        () -> put(viaProxy, "k", "stored".getBytes(StandardCharsets.UTF_8)));
    assertEquals("stored", new String(read("k"), StandardCharsets.UTF_8));
    S3Exception again =
        assertThrows(
            S3Exception.class, () -> put(viaProxy, "k", "stored".getBytes(StandardCharsets.UTF_8)));
    assertEquals(412, again.statusCode(), "a blind retry finds its own earlier write");
  }

  @Test
  void slowDown_answers503SlowDownXml_withoutReachingTheServer_andKeepsTheConnection() {
    proxy.add(Rule.on("PUT", ".*").times(1).slowDown());
    S3Exception e = assertThrows(S3Exception.class, () -> put(viaProxy, "k", new byte[] {9}));
    assertEquals(503, e.statusCode());
    assertEquals("SlowDown", e.awsErrorDetails().errorCode());
    assertFalse(exists("k"));
    put(viaProxy, "k", new byte[] {9});
    assertEquals(1, proxy.connections(), "the proxy read the body, so the connection stays usable");
  }

  @Test
  void everyKth_andTimes_boundTheStorm() {
    Rule rule = proxy.add(Rule.on("HEAD", ".*").every(2).times(4).slowDown());
    put(direct, "k", new byte[] {1});
    int failed = 0;
    for (int i = 1; i <= 6; i++) {
      try {
        viaProxy.headObject(b -> b.bucket(bucket).key("k"));
      } catch (S3Exception e) {
        assertEquals(503, e.statusCode());
        failed++;
      }
    }
    assertEquals(2, failed, "the 2nd and 4th match fail; the 6th is beyond times(4)");
    assertEquals(2, rule.fired());
    assertEquals(
        List.of(
            Fault.PASS,
            Fault.SLOW_DOWN_503,
            Fault.PASS,
            Fault.SLOW_DOWN_503,
            Fault.PASS,
            Fault.PASS),
        proxy.seen().stream().map(FaultProxy.Seen::fault).toList());
  }

  @Test
  void wiremock_error500_and429WithRetryAfter_answeredByTheProxy_neverReachTheServer()
      throws Exception {
    try (KvApiMock kv = new KvApiMock();
        FaultProxy api = new FaultProxy(URI.create(kv.baseUrl()))) {
      api.add(Rule.on("GET", "/client/v4/one").times(1).error500());
      api.add(Rule.on("GET", "/client/v4/two").times(1).tooMany(7));
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      HttpResponse<String> five =
          http.send(
              HttpRequest.newBuilder(URI.create(api.endpoint() + "/client/v4/one")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(500, five.statusCode());
      HttpResponse<String> many =
          http.send(
              HttpRequest.newBuilder(URI.create(api.endpoint() + "/client/v4/two")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(429, many.statusCode());
      assertEquals("7", many.headers().firstValue("Retry-After").orElseThrow());
      assertTrue(many.body().contains("\"success\":false"), many.body());
      assertEquals(0, kv.server.getAllServeEvents().size(), "the server saw neither request");
    }
  }

  @Test
  void wiremock_okHttpKeepAlive_chunkedRequestAndChunkedResponse() throws Exception {
    try (KvApiMock kv = new KvApiMock();
        FaultProxy api = new FaultProxy(URI.create(kv.baseUrl()))) {
      kv.server.stubFor(
          get(urlEqualTo("/client/v4/chunked"))
              .willReturn(
                  aResponse()
                      .withStatus(200)
                      .withBody("x".repeat(5000))
                      .withChunkedDribbleDelay(4, 20)));
      kv.server.stubFor(
          post(urlEqualTo("/client/v4/echo"))
              .willReturn(aResponse().withStatus(200).withBody("ok")));
      OkHttpClient ok = new OkHttpClient();
      for (int i = 0; i < 3; i++) {
        try (okhttp3.Response r =
            ok.newCall(
                    new okhttp3.Request.Builder()
                        .url(api.endpoint() + "/client/v4/chunked")
                        .build())
                .execute()) {
          assertEquals(200, r.code());
          assertEquals("x".repeat(5000), r.body().string());
        }
      }
      assertEquals(1, api.connections(), "OkHttp kept its connection through the proxy");
      // java.net.http sends a body of unknown length chunked.
      byte[] body = TestFiles.random(40_000, 4);
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      HttpResponse<String> echo =
          http.send(
              HttpRequest.newBuilder(URI.create(api.endpoint() + "/client/v4/echo"))
                  .POST(
                      HttpRequest.BodyPublishers.ofInputStream(
                          () -> new ByteArrayInputStream(body)))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, echo.statusCode());
      assertArrayEquals(body, kv.server.getAllServeEvents().get(0).getRequest().getBody());
    }
  }

  @Test
  void stall_holdsTheRequestPastTheClientsTimeout_andEndsWhenTheProxyCloses() throws Exception {
    try (KvApiMock kv = new KvApiMock();
        FaultProxy api = new FaultProxy(URI.create(kv.baseUrl()))) {
      api.add(Rule.on(null, ".*").stall());
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(api.endpoint() + "/client/v4/x"))
              .timeout(Duration.ofMillis(300))
              .build();
      assertThrows(
          HttpTimeoutException.class,
          () -> http.send(request, HttpResponse.BodyHandlers.ofString()));
      assertEquals(0, kv.server.getAllServeEvents().size());
      assertTimeoutPreemptively(Duration.ofSeconds(5), api::close);
    }
  }
}
