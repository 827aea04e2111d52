package dev.cdnpub.cloudflare;

import static com.github.tomakehurst.wiremock.client.WireMock.aMultipart;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
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
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Worker script uploads as multipart/form-data against a fake Cloudflare API. */
class WorkersScriptsClientTest {
  @RegisterExtension static WireMockExtension server = CloudflareTestSupport.wireMock();

  private static final String PATH = BASE_PATH + "/accounts/acc1/workers/scripts/cdnpub-resolver";
  private static final String SOURCE =
      "export default { fetch() { return new Response('ok'); } };\n";
  private static final WorkerMetadata METADATA =
      new WorkerMetadata(
          "2025-06-01",
          List.of(
              new WorkerBinding.KvNamespace("ALIASES", "ns-123"),
              new WorkerBinding.PlainText("ALIAS_BROWSER_TTL", "300")));

  private final WorkersScriptsClient scripts =
      new WorkersScriptsClient(CloudflareTestSupport.api(server, new FakeTime()));

  @Test
  void uploadModule_putsMetadataAndTheModulePartNamedAsMainModule() {
    server.stubFor(
        put(urlPathEqualTo(PATH))
            .willReturn(aResponse().withBody(success("{\"id\":\"cdnpub-resolver\"}"))));

    scripts.uploadModule("acc1", "cdnpub-resolver", "resolver.js", SOURCE, METADATA);

    server.verify(
        exactly(1),
        putRequestedFor(urlPathEqualTo(PATH))
            .withHeader("Authorization", equalTo(BEARER))
            .withHeader("Content-Type", containing("multipart/form-data; boundary="))
            .withRequestBodyPart(
                aMultipart()
                    .withName("metadata")
                    .withHeader("Content-Type", equalTo("application/json"))
                    .withBody(
                        equalToJson(
                            "{\"main_module\":\"resolver.js\",\"compatibility_date\":\"2025-06-01\","
                                + "\"bindings\":["
                                + "{\"type\":\"kv_namespace\",\"name\":\"ALIASES\",\"namespace_id\":\"ns-123\"},"
                                + "{\"type\":\"plain_text\",\"name\":\"ALIAS_BROWSER_TTL\",\"text\":\"300\"}]}"))
                    .build())
            .withRequestBodyPart(
                aMultipart()
                    .withName("resolver.js")
                    .withFileName("resolver.js")
                    .withHeader("Content-Type", equalTo("application/javascript+module"))
                    .withBody(equalTo(SOURCE))
                    .build()));
    LoggedRequest request = CloudflareTestSupport.requests(server).get(0);
    assertEquals(2, request.getParts().size());
  }

  @Test
  void uploadModule_rejectedScript_failsUsageWithTheApiMessage() {
    server.stubFor(
        put(urlPathEqualTo(PATH))
            .willReturn(
                aResponse()
                    .withStatus(400)
                    .withBody(failure(10021, "Uncaught SyntaxError: Unexpected token"))));

    CloudflareApiException e =
        assertThrows(
            CloudflareApiException.class,
            () ->
                scripts.uploadModule(
                    "acc1", "cdnpub-resolver", "resolver.js", "export {", METADATA));

    assertEquals(ExitCode.USAGE, e.exitCode());
    assertTrue(
        e.getMessage()
            .contains(
                "upload the Worker script 'cdnpub-resolver': HTTP 400, 10021"
                    + " Uncaught SyntaxError: Unexpected token"),
        e.getMessage());
  }

  @Test
  void uploadModule_withoutScriptsPermission_failsAuthNamingIt() {
    server.stubFor(
        put(urlPathEqualTo(PATH))
            .willReturn(
                aResponse().withStatus(403).withBody(failure(10000, "Authentication error"))));

    CloudflareApiException e =
        assertThrows(
            CloudflareApiException.class,
            () -> scripts.uploadModule("acc1", "cdnpub-resolver", "resolver.js", SOURCE, METADATA));

    assertEquals(ExitCode.AUTH, e.exitCode());
    assertTrue(
        e.getMessage().endsWith("has the 'Workers Scripts Write' permission."), e.getMessage());
    assertEquals(1, CloudflareTestSupport.requests(server).size());
  }

  @Test
  void metadata_withAMalformedDateOrDuplicateBinding_isRefused() {
    assertEquals(
        ExitCode.USAGE,
        assertThrows(CdnpubException.class, () -> new WorkerMetadata("June 2025", List.of()))
            .exitCode());
    assertEquals(
        ExitCode.USAGE,
        assertThrows(
                CdnpubException.class,
                () ->
                    new WorkerMetadata(
                        "2025-06-01",
                        List.of(
                            new WorkerBinding.PlainText("A", "1"),
                            new WorkerBinding.PlainText("A", "2"))))
            .exitCode());
  }
}
