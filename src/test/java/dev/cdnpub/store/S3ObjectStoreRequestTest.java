package dev.cdnpub.store;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.cdnpub.core.CdnpubException;
import dev.cdnpub.core.ExitCode;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The exact HTTP that cdnpub's S3 client sends, recorded by WireMock: the settings R2 needs (path
 * style, no aws-chunked encoding, no default CRC32 checksum headers), the conditional write, the
 * integrity header, no ACL. S3Proxy accepts all of these, so only a recording shows them.
 */
class S3ObjectStoreRequestTest {
  private static final String SECRET = "wiremock-secret-key-9876543210";
  private WireMockServer wm;

  @BeforeEach
  void start() {
    wm = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    wm.start();
  }

  @AfterEach
  void stop() {
    wm.stop();
  }

  private S3ObjectStore store() {
    return store(URI.create("http://127.0.0.1:" + wm.port()));
  }

  private S3ObjectStore store(URI endpoint) {
    return new S3ObjectStore(
        S3ObjectStore.r2ClientBuilder(endpoint, "AKIDEXAMPLE123", SECRET, S3ClientLimits.DEFAULT)
            .build(),
        "releases",
        endpoint.toString(),
        Long.MAX_VALUE,
        S3ObjectStore.MIN_PART_SIZE);
  }

  @Test
  void putObject_sendsR2CompatibleConditionalRequest() {
    wm.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withHeader("ETag", "\"abc\"")));
    try (S3ObjectStore store = store()) {
      store.createIfAbsent(
          "v1.2.3/chatleo/loader.js",
          Body.ofBytes("x();".getBytes()),
          new ObjectMetadata(
              "text/javascript; charset=utf-8",
              "public, max-age=31536000, immutable",
              Map.of("sha256", "f00")));
    }
    wm.verify(
        putRequestedFor(urlEqualTo("/releases/v1.2.3/chatleo/loader.js"))
            .withHeader("If-None-Match", equalTo("*"))
            .withHeader("Content-Type", equalTo("text/javascript; charset=utf-8"))
            .withHeader("Cache-Control", equalTo("public, max-age=31536000, immutable"))
            .withHeader("Content-MD5", equalTo(Digests.md5Base64("x();".getBytes())))
            .withHeader("x-amz-meta-sha256", equalTo("f00")));
    LoggedRequest request = wm.getAllServeEvents().get(0).getRequest();
    assertEquals("127.0.0.1", request.getHost(), "path-style: the bucket is not in the host name");
    assertEquals("x();", request.getBodyAsString(), "body sent plainly, not aws-chunked");
    assertFalse(request.containsHeader("x-amz-acl"), "no ACL header");
    assertFalse(
        request.containsHeader("Content-Encoding")
            && request.getHeader("Content-Encoding").contains("aws-chunked"));
    assertFalse(request.containsHeader("x-amz-decoded-content-length"), "no chunked signing");
    for (String name : request.getAllHeaderKeys()) {
      assertFalse(
          name.toLowerCase().startsWith("x-amz-checksum"), "no default checksum header: " + name);
      assertFalse(name.toLowerCase().equals("x-amz-sdk-checksum-algorithm"), name);
    }
    assertTrue(
        request.getHeader("Authorization").contains("/auto/s3/aws4_request"),
        "region auto in the signature scope");
    assertFalse(request.getHeader("Authorization").contains(SECRET));
  }

  /**
   * A small object's first attempt ({@link DirectPut}, in the production store) sends the request
   * the S3 client sends: the same URL, body, headers and signed headers, less the SDK's bookkeeping
   * (its invocation id, attempt count and user agent).
   */
  @ParameterizedTest(name = "endpoint path \"{0}\"")
  @ValueSource(strings = {"", "/storage"})
  void directWrite_sendsTheS3ClientsRequest_lessItsBookkeeping(String path) {
    wm.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withHeader("ETag", "\"abc\"")));
    URI endpoint = URI.create("http://127.0.0.1:" + wm.port() + path);
    String key = "v1.2.3/chatleo/a dir/é+x (1).js";
    ObjectMetadata metadata =
        new ObjectMetadata(
            "text/javascript; charset=utf-8",
            "public, max-age=31536000, immutable",
            Map.of("sha256", "f00"));
    try (S3ObjectStore sdk = store(endpoint);
        S3ObjectStore production =
            S3ObjectStore.forBucket(
                endpoint,
                "releases",
                "AKIDEXAMPLE123",
                SECRET,
                S3ClientLimits.DEFAULT,
                Long.MAX_VALUE,
                notice -> {})) {
      sdk.createIfAbsent(key, Body.ofBytes("x();".getBytes()), metadata);
      production.createIfAbsent(key, Body.ofBytes("x();".getBytes()), metadata);
    }
    // newest first
    List<LoggedRequest> requests =
        wm.getAllServeEvents().stream().map(e -> e.getRequest()).toList();
    LoggedRequest viaSdk = requests.get(1);
    LoggedRequest direct = requests.get(0);
    assertTrue(viaSdk.containsHeader("amz-sdk-request"), "the S3 client's");
    assertFalse(direct.containsHeader("amz-sdk-request"), "the direct attempt's");
    assertEquals(viaSdk.getUrl(), direct.getUrl());
    assertEquals(
        path + "/releases/v1.2.3/chatleo/a%20dir/%C3%A9%2Bx%20%281%29.js", direct.getUrl());
    assertArrayEquals(viaSdk.getBody(), direct.getBody());
    Set<String> bookkeeping =
        Set.of(
            "amz-sdk-invocation-id",
            "amz-sdk-request",
            "user-agent",
            "authorization",
            "x-amz-date");
    Map<String, String> sdkHeaders = new TreeMap<>();
    Map<String, String> directHeaders = new TreeMap<>();
    for (String name : viaSdk.getAllHeaderKeys()) {
      if (!bookkeeping.contains(name.toLowerCase(Locale.ROOT))) {
        sdkHeaders.put(name.toLowerCase(Locale.ROOT), viaSdk.getHeader(name));
      }
    }
    for (String name : direct.getAllHeaderKeys()) {
      if (!bookkeeping.contains(name.toLowerCase(Locale.ROOT))) {
        directHeaders.put(name.toLowerCase(Locale.ROOT), direct.getHeader(name));
      }
    }
    assertEquals(sdkHeaders, directHeaders);
    assertEquals(
        signedHeaders(viaSdk).replace("amz-sdk-invocation-id;amz-sdk-request;", ""),
        signedHeaders(direct));
  }

  private static String signedHeaders(LoggedRequest request) {
    String auth = request.getHeader("Authorization");
    int at = auth.indexOf("SignedHeaders=");
    return auth.substring(at, auth.indexOf(',', at));
  }

  @Test
  void putObject_answer412_isAlreadyExists() {
    wm.stubFor(
        any(anyUrl())
            .willReturn(
                aResponse()
                    .withStatus(412)
                    .withBody(
                        "<Error><Code>PreconditionFailed</Code><Message>At least one of the pre-conditions you specified did not hold</Message></Error>")));
    try (S3ObjectStore store = store()) {
      assertEquals(
          CreateResult.ALREADY_EXISTS,
          store.createIfAbsent(
              "k", Body.ofBytes(new byte[1]), new ObjectMetadata("a/b", "c", Map.of())));
    }
  }

  @Test
  void putObject_answer409ConditionalRequestConflict_isAlreadyExists() {
    wm.stubFor(
        any(anyUrl())
            .willReturn(
                aResponse()
                    .withStatus(409)
                    .withBody(
                        "<Error><Code>ConditionalRequestConflict</Code><Message>conflict</Message></Error>")));
    try (S3ObjectStore store = store()) {
      assertEquals(
          CreateResult.ALREADY_EXISTS,
          store.createIfAbsent(
              "k", Body.ofBytes(new byte[1]), new ObjectMetadata("a/b", "c", Map.of())));
    }
  }

  @Test
  void putObject_answer403_isAuthFailureWithoutSecret() {
    wm.stubFor(
        any(anyUrl())
            .willReturn(
                aResponse()
                    .withStatus(403)
                    .withBody(
                        "<Error><Code>SignatureDoesNotMatch</Code><Message>bad "
                            + SECRET
                            + "</Message></Error>")));
    try (S3ObjectStore store = store()) {
      CdnpubException e =
          assertThrows(
              CdnpubException.class,
              () ->
                  store.createIfAbsent(
                      "k", Body.ofBytes(new byte[1]), new ObjectMetadata("a/b", "c", Map.of())));
      assertEquals(ExitCode.AUTH, e.exitCode());
      assertFalse(e.getMessage().contains(SECRET));
    }
  }

  @Test
  void putObject_answer503Repeatedly_isRemoteFailure() {
    wm.stubFor(
        any(anyUrl())
            .willReturn(
                aResponse()
                    .withStatus(503)
                    .withBody(
                        "<Error><Code>ServiceUnavailable</Code><Message>busy</Message></Error>")));
    try (S3ObjectStore store = store()) {
      CdnpubException e =
          assertThrows(
              CdnpubException.class,
              () ->
                  store.createIfAbsent(
                      "k", Body.ofBytes(new byte[1]), new ObjectMetadata("a/b", "c", Map.of())));
      assertEquals(ExitCode.REMOTE, e.exitCode());
      assertTrue(wm.getAllServeEvents().size() > 1, "the SDK retried before giving up");
    }
  }

  @Test
  void read_missingBucket_isNotFound() {
    wm.stubFor(
        any(anyUrl())
            .willReturn(
                aResponse()
                    .withStatus(404)
                    .withBody(
                        "<Error><Code>NoSuchBucket</Code><Message>The specified bucket does not exist</Message></Error>")));
    try (S3ObjectStore store = store()) {
      CdnpubException e = assertThrows(CdnpubException.class, () -> store.read("_cdnpub/x"));
      assertEquals(ExitCode.NOT_FOUND, e.exitCode());
      assertTrue(e.getMessage().contains("bucket releases does not exist"), e.getMessage());
    }
  }

  /**
   * S3 refuses a conditional write with 409 while a concurrent upload of the key is in progress,
   * and that object is not readable yet: the publish loses with exit 3, not an internal error.
   */
  @Test
  void publish_claimTakenByAnUploadInProgress_isConflict() throws Exception {
    wm.stubFor(
        com.github.tomakehurst.wiremock.client.WireMock.get(anyUrl())
            .willReturn(
                aResponse()
                    .withStatus(404)
                    .withBody("<Error><Code>NoSuchKey</Code><Message>none</Message></Error>")));
    wm.stubFor(
        com.github.tomakehurst.wiremock.client.WireMock.put(anyUrl())
            .willReturn(
                aResponse()
                    .withStatus(409)
                    .withBody(
                        "<Error><Code>ConditionalRequestConflict</Code><Message>in progress</Message></Error>")));
    java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("dist");
    java.nio.file.Files.writeString(dir.resolve("a.js"), "a");
    try (S3ObjectStore store = store()) {
      var plan =
          dev.cdnpub.publish.PublishPlanner.plan(
              dir, "lib", dev.cdnpub.publish.ReleaseVersion.parse("1.0.0"), false);
      CdnpubException e =
          assertThrows(
              CdnpubException.class,
              () ->
                  new dev.cdnpub.publish.Publisher(
                          store,
                          java.time.Clock.systemUTC(),
                          1,
                          dev.cdnpub.publish.PublishListener.NONE)
                      .publish(plan));
      assertEquals(ExitCode.CONFLICT, e.exitCode(), e.getMessage());
      assertTrue(e.getMessage().contains("being published concurrently"), e.getMessage());
    }
  }
}
