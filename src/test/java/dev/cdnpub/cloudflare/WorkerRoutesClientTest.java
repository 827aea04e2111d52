package dev.cdnpub.cloudflare;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.cdnpub.cloudflare.CloudflareTestSupport.BASE_PATH;
import static dev.cdnpub.cloudflare.CloudflareTestSupport.BEARER;
import static dev.cdnpub.cloudflare.CloudflareTestSupport.failure;
import static dev.cdnpub.cloudflare.CloudflareTestSupport.success;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.cdnpub.core.ExitCode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Workers routes of a zone against a fake Cloudflare API. */
class WorkerRoutesClientTest {
  @RegisterExtension static WireMockExtension server = CloudflareTestSupport.wireMock();

  private static final String ROUTES = BASE_PATH + "/zones/zone1/workers/routes";

  private final WorkerRoutesClient routes =
      new WorkerRoutesClient(CloudflareTestSupport.api(server, new FakeTime()));

  @Test
  void listRoutes_readsIdPatternAndScript() {
    server.stubFor(
        get(urlPathEqualTo(ROUTES))
            .willReturn(
                aResponse()
                    .withBody(
                        success(
                            "[{\"id\":\"r1\",\"pattern\":\"cdn.example.com/chatleo/*\",\"script\":\"cdnpub-resolver\"},"
                                + "{\"id\":\"r2\",\"pattern\":\"cdn.example.com/static/*\"}]"))));

    assertEquals(
        List.of(
            new WorkerRoute("r1", "cdn.example.com/chatleo/*", "cdnpub-resolver"),
            new WorkerRoute("r2", "cdn.example.com/static/*", null)),
        routes.listRoutes("zone1"));

    server.verify(
        exactly(1),
        getRequestedFor(urlPathEqualTo(ROUTES)).withHeader("Authorization", equalTo(BEARER)));
  }

  @Test
  void createRoute_postsPatternAndScript() {
    server.stubFor(
        post(urlPathEqualTo(ROUTES)).willReturn(aResponse().withBody(success("{\"id\":\"r9\"}"))));

    WorkerRoute route = routes.createRoute("zone1", "cdn.example.com/chatleo/*", "cdnpub-resolver");

    assertEquals(new WorkerRoute("r9", "cdn.example.com/chatleo/*", "cdnpub-resolver"), route);
    server.verify(
        exactly(1),
        postRequestedFor(urlPathEqualTo(ROUTES))
            .withHeader("Authorization", equalTo(BEARER))
            .withHeader("Content-Type", equalTo("application/json"))
            .withRequestBody(
                equalToJson(
                    "{\"pattern\":\"cdn.example.com/chatleo/*\",\"script\":\"cdnpub-resolver\"}")));
  }

  @Test
  void createRoute_duplicatePattern_failsUsageWithTheApiMessage() {
    server.stubFor(
        post(urlPathEqualTo(ROUTES))
            .willReturn(
                aResponse()
                    .withStatus(409)
                    .withBody(failure(10020, "A route with the same pattern already exists."))));

    CloudflareApiException e =
        assertThrows(
            CloudflareApiException.class,
            () -> routes.createRoute("zone1", "cdn.example.com/chatleo/*", "cdnpub-resolver"));

    assertEquals(ExitCode.USAGE, e.exitCode());
    assertEquals(
        "Cloudflare could not create the Worker route 'cdn.example.com/chatleo/*': HTTP 409, 10020"
            + " A route with the same pattern already exists (POST /zones/zone1/workers/routes).",
        e.getMessage());
  }

  @Test
  void createRoute_withoutRoutesPermission_failsAuthNamingIt() {
    server.stubFor(
        post(urlPathEqualTo(ROUTES))
            .willReturn(
                aResponse().withStatus(403).withBody(failure(10000, "Authentication error"))));

    CloudflareApiException e =
        assertThrows(
            CloudflareApiException.class,
            () -> routes.createRoute("zone1", "cdn.example.com/chatleo/*", "cdnpub-resolver"));

    assertEquals(ExitCode.AUTH, e.exitCode());
    assertEquals(
        "Cloudflare refused to create the Worker route 'cdn.example.com/chatleo/*' (HTTP 403, 10000"
            + " Authentication error): check that CLOUDFLARE_API_TOKEN has the 'Workers Routes"
            + " Write' permission.",
        e.getMessage());
  }
}
