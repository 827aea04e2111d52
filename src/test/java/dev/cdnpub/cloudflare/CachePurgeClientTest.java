package dev.cdnpub.cloudflare;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static dev.cdnpub.cloudflare.CloudflareTestSupport.BASE_PATH;
import static dev.cdnpub.cloudflare.CloudflareTestSupport.BEARER;
import static dev.cdnpub.cloudflare.CloudflareTestSupport.failure;
import static dev.cdnpub.cloudflare.CloudflareTestSupport.success;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.cdnpub.core.ExitCode;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Cache purge batching against a fake Cloudflare API. */
class CachePurgeClientTest {
  @RegisterExtension static WireMockExtension server = CloudflareTestSupport.wireMock();

  private static final String PURGE = BASE_PATH + "/zones/zone1/purge_cache";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final CachePurgeClient purge =
      new CachePurgeClient(CloudflareTestSupport.api(server, new FakeTime()));

  private static List<String> urls(int count) {
    return IntStream.range(0, count)
        .mapToObj(i -> "https://cdn.example.com/chatleo/v1/f" + i + ".js")
        .toList();
  }

  private static List<String> files(LoggedRequest request) throws Exception {
    JsonNode body = JSON.readTree(request.getBodyAsString());
    assertEquals(1, body.size(), "only \"files\" is sent: " + body);
    List<String> files = new ArrayList<>();
    body.get("files").forEach(f -> files.add(f.textValue()));
    return files;
  }

  @Test
  void purgeCache_sends250UrlsIn3BatchesInOrder() throws Exception {
    server.stubFor(
        post(urlPathEqualTo(PURGE)).willReturn(aResponse().withBody(success("{\"id\":\"p\"}"))));
    List<String> urls = urls(250);

    purge.purgeCache("zone1", urls);

    List<LoggedRequest> sent = CloudflareTestSupport.requests(server);
    assertEquals(3, sent.size());
    assertEquals(urls.subList(0, 100), files(sent.get(0)));
    assertEquals(urls.subList(100, 200), files(sent.get(1)));
    assertEquals(urls.subList(200, 250), files(sent.get(2)));
    for (LoggedRequest request : sent) {
      assertEquals("POST", request.getMethod().getName());
      assertEquals(PURGE, request.getUrl());
      assertEquals(BEARER, request.getHeader("Authorization"));
      assertEquals("application/json", request.getHeader("Content-Type"));
    }
  }

  @Test
  void purgeCache_nothingToPurge_sendsNothing() {
    purge.purgeCache("zone1", List.of());

    assertEquals(0, server.getAllServeEvents().size());
  }

  @Test
  void purgeCache_failingSecondBatch_saysHowManyWerePurgedAndKeepsTheExitCode() {
    server.stubFor(
        post(urlPathEqualTo(PURGE))
            .inScenario("p")
            .whenScenarioStateIs(STARTED)
            .willReturn(aResponse().withBody(success("{\"id\":\"p\"}")))
            .willSetStateTo("refused"));
    server.stubFor(
        post(urlPathEqualTo(PURGE))
            .inScenario("p")
            .whenScenarioStateIs("refused")
            .willReturn(
                aResponse().withStatus(403).withBody(failure(10000, "Authentication error"))));

    CloudflareApiException e =
        assertThrows(CloudflareApiException.class, () -> purge.purgeCache("zone1", urls(250)));

    assertEquals(ExitCode.AUTH, e.exitCode());
    assertEquals(
        "Purged 100 of 250 URLs, then: Cloudflare refused to purge the zone's cache (HTTP 403,"
            + " 10000 Authentication error): check that CLOUDFLARE_API_TOKEN has the 'Cache Purge'"
            + " permission.",
        e.getMessage());
    assertEquals(2, server.getAllServeEvents().size());
  }
}
