package dev.cdnpub.cloudflare;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static dev.cdnpub.cloudflare.CloudflareTestSupport.BASE_PATH;
import static dev.cdnpub.cloudflare.CloudflareTestSupport.BEARER;
import static dev.cdnpub.cloudflare.CloudflareTestSupport.failure;
import static dev.cdnpub.cloudflare.CloudflareTestSupport.success;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.cdnpub.core.CdnpubException;
import dev.cdnpub.core.ExitCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Workers KV values and key listing against a fake Cloudflare API. */
class KvClientTest {
  @RegisterExtension static WireMockExtension server = CloudflareTestSupport.wireMock();

  private static final String NAMESPACE = BASE_PATH + "/accounts/acc1/storage/kv/namespaces/ns1";
  private static final String VALUE_PATH = NAMESPACE + "/values/chatleo%2Fv1";

  private final FakeTime time = new FakeTime();
  private final KvClient kv = new KvClient(CloudflareTestSupport.api(server, time), "acc1", "ns1");

  private static List<LoggedRequest> requests() {
    return CloudflareTestSupport.requests(server);
  }

  @Test
  void put_sendsTheRawValueToTheEncodedKey() {
    server.stubFor(
        put(urlPathEqualTo(VALUE_PATH)).willReturn(aResponse().withBody(success("null"))));

    kv.put("chatleo/v1", "{\"version\":\"1.4.2\"}", null);

    server.verify(
        exactly(1),
        putRequestedFor(urlPathEqualTo(VALUE_PATH))
            .withHeader("Authorization", equalTo(BEARER))
            .withRequestBody(equalTo("{\"version\":\"1.4.2\"}")));
    assertEquals(VALUE_PATH, requests().get(0).getUrl());
  }

  @Test
  void put_withMetadata_sendsMultipartFormDataWithValueAndMetadataParts_evenOnARetry() {
    server.stubFor(
        put(urlPathEqualTo(VALUE_PATH))
            .inScenario("retry")
            .whenScenarioStateIs(com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED)
            .willReturn(aResponse().withStatus(503))
            .willSetStateTo("up"));
    server.stubFor(
        put(urlPathEqualTo(VALUE_PATH))
            .inScenario("retry")
            .whenScenarioStateIs("up")
            .willReturn(aResponse().withBody(success("null"))));
    String metadata = "{\"canary\":{\"version\":\"1.2.4\",\"percent\":25}}";

    kv.put("chatleo/v1", "1.2.3", metadata);

    assertEquals(2, requests().size());
    for (LoggedRequest r : requests()) {
      assertEquals(VALUE_PATH, r.getUrl());
      assertEquals(BEARER, r.getHeader("Authorization"));
      assertTrue(r.getHeader("Content-Type").startsWith("multipart/form-data; boundary="));
      assertEquals("1.2.3", r.getPart("value").getBody().asString());
      assertEquals(metadata, r.getPart("metadata").getBody().asString());
      assertTrue(
          r.getPart("metadata")
              .getHeader("Content-Disposition")
              .firstValue()
              .contains("name=\"metadata\""));
      assertEquals(2, r.getParts().size(), "exactly the parts value and metadata");
    }
  }

  @Test
  void put_withoutMetadata_sendsTheRawValueAsTextNotMultipart() {
    server.stubFor(
        put(urlPathEqualTo(VALUE_PATH)).willReturn(aResponse().withBody(success("null"))));

    kv.put("chatleo/v1", "1.2.3", null);

    LoggedRequest r = requests().get(0);
    assertTrue(r.getHeader("Content-Type").startsWith("text/plain"), r.getHeader("Content-Type"));
    assertEquals("1.2.3", r.getBodyAsString());
  }

  @Test
  void put_encodesEachSpecialCharacterOfTheKey() {
    String path = NAMESPACE + "/values/a%20b%25c%3Fd%23e";
    server.stubFor(put(urlPathEqualTo(path)).willReturn(aResponse().withBody(success("null"))));

    kv.put("a b%c?d#e", "x", null);

    assertEquals(path, requests().get(0).getUrl());
  }

  @Test
  void put_refusedByTheToken_failsWithAuthNamingKvWritePermission() {
    server.stubFor(
        put(urlPathEqualTo(VALUE_PATH))
            .willReturn(
                aResponse().withStatus(403).withBody(failure(10000, "Authentication error"))));

    CloudflareApiException e =
        assertThrows(CloudflareApiException.class, () -> kv.put("chatleo/v1", "x", null));

    assertEquals(ExitCode.AUTH, e.exitCode());
    assertEquals(
        "Cloudflare refused to write Workers KV key 'chatleo/v1' (HTTP 403, 10000 Authentication"
            + " error): check that CLOUDFLARE_API_TOKEN has the 'Workers KV Storage Write'"
            + " permission.",
        e.getMessage());
    assertEquals(1, requests().size());
  }

  @Test
  void put_fromManyThreadsThroughOneClient_sendsEveryValue() throws Exception {
    server.stubFor(
        put(urlPathMatching(NAMESPACE + "/values/k%2F[0-9]+"))
            .willReturn(aResponse().withBody(success("null"))));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> puts = new ArrayList<>();
      for (int i = 0; i < 32; i++) {
        String key = "k/" + i;
        puts.add(pool.submit(() -> kv.put(key, key, null)));
      }
      for (Future<?> put : puts) {
        put.get(10, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    for (int i = 0; i < 32; i++) {
      server.verify(
          exactly(1),
          putRequestedFor(urlPathEqualTo(NAMESPACE + "/values/k%2F" + i))
              .withRequestBody(equalTo("k/" + i)));
    }
  }

  @Test
  void get_returnsTheRawValue() {
    server.stubFor(get(urlPathEqualTo(VALUE_PATH)).willReturn(aResponse().withBody("1.4.2 ✓")));

    assertEquals(Optional.of("1.4.2 ✓"), kv.get("chatleo/v1"));

    server.verify(
        getRequestedFor(urlPathEqualTo(VALUE_PATH)).withHeader("Authorization", equalTo(BEARER)));
    assertEquals(VALUE_PATH, requests().get(0).getUrl());
  }

  @Test
  void get_keyNotFound_isEmpty() {
    server.stubFor(
        get(urlPathEqualTo(VALUE_PATH))
            .willReturn(
                aResponse().withStatus(404).withBody(failure(10009, "get: 'key not found'"))));

    assertEquals(Optional.empty(), kv.get("chatleo/v1"));
    assertEquals(1, requests().size());
  }

  @Test
  void get_namespaceNotFound_failsNotFoundWithTheApiMessage() {
    server.stubFor(
        get(urlPathEqualTo(VALUE_PATH))
            .willReturn(
                aResponse().withStatus(404).withBody(failure(10013, "get: namespace not found"))));

    CloudflareApiException e =
        assertThrows(CloudflareApiException.class, () -> kv.get("chatleo/v1"));

    assertEquals(ExitCode.NOT_FOUND, e.exitCode());
    assertEquals(
        "Cloudflare could not read Workers KV key 'chatleo/v1': HTTP 404, 10013 get: namespace not"
            + " found (GET /accounts/acc1/storage/kv/namespaces/ns1/values/chatleo%2Fv1).",
        e.getMessage());
  }

  @Test
  void get_plain404WithoutEnvelope_isNotMistakenForAMissingKey() {
    server.stubFor(
        get(urlPathEqualTo(VALUE_PATH))
            .willReturn(aResponse().withStatus(404).withBody("Not Found")));

    CloudflareApiException e =
        assertThrows(CloudflareApiException.class, () -> kv.get("chatleo/v1"));

    assertEquals(ExitCode.NOT_FOUND, e.exitCode());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", ".", ".."})
  void keysCloudflareCannotAddress_areRefusedWithoutARequest(String key) {
    CdnpubException e = assertThrows(CdnpubException.class, () -> kv.put(key, "x", null));

    assertEquals(ExitCode.USAGE, e.exitCode());
    assertEquals(0, requests().size());
  }

  @Test
  void keyLongerThan512Bytes_isRefusedWithoutARequest() {
    CdnpubException e = assertThrows(CdnpubException.class, () -> kv.get("é".repeat(257)));

    assertEquals(ExitCode.USAGE, e.exitCode());
    assertTrue(e.getMessage().contains("514 bytes"), e.getMessage());
    assertEquals(0, requests().size());
  }
}
