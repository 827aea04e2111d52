package dev.cdnpub.cloudflare;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.cdnpub.cloudflare.CloudflareTestSupport.BASE_PATH;
import static dev.cdnpub.cloudflare.CloudflareTestSupport.TOKEN;
import static dev.cdnpub.cloudflare.CloudflareTestSupport.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.cdnpub.core.ExitCode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The API token must not show in any message, cause or toString, whatever goes wrong. */
class TokenSecrecyTest {
  @RegisterExtension static WireMockExtension server = CloudflareTestSupport.wireMock();

  private static final String PATH =
      BASE_PATH + "/accounts/acc1/storage/kv/namespaces/ns1/values/chatleo%2Fv1";

  private final CloudflareApi api = CloudflareTestSupport.api(server, new FakeTime());
  private final KvClient kv = new KvClient(api, "acc1", "ns1");

  static Stream<Arguments> everyErrorKind() {
    return Stream.of(
        Arguments.of(
            "401",
            ExitCode.AUTH,
            aResponse().withStatus(401).withBody(failure(10000, "Authentication error"))),
        Arguments.of(
            "403",
            ExitCode.AUTH,
            aResponse().withStatus(403).withBody(failure(10000, "Authentication error"))),
        Arguments.of(
            "400",
            ExitCode.USAGE,
            aResponse().withStatus(400).withBody(failure(10011, "bad namespace id"))),
        Arguments.of(
            "404",
            ExitCode.NOT_FOUND,
            aResponse().withStatus(404).withBody(failure(10013, "namespace not found"))),
        Arguments.of(
            "429 forever",
            ExitCode.REMOTE,
            aResponse().withStatus(429).withHeader("retry-after", "1")),
        Arguments.of(
            "500 forever",
            ExitCode.REMOTE,
            aResponse().withStatus(500).withBody("<html>oops</html>")),
        Arguments.of(
            "success:false", ExitCode.REMOTE, aResponse().withBody(failure(10001, "internal"))),
        Arguments.of("no envelope", ExitCode.REMOTE, aResponse().withBody("<html>ok</html>")),
        Arguments.of(
            "reset", ExitCode.REMOTE, aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)),
        Arguments.of("empty answer", ExitCode.REMOTE, aResponse().withFault(Fault.EMPTY_RESPONSE)),
        Arguments.of(
            "garbage", ExitCode.REMOTE, aResponse().withFault(Fault.RANDOM_DATA_THEN_CLOSE)),
        // A server (or proxy) that echoes the credentials back must not get them printed either.
        Arguments.of(
            "echoed 401",
            ExitCode.AUTH,
            aResponse().withStatus(401).withBody(failure(9109, "Invalid access token " + TOKEN))),
        Arguments.of(
            "echoed 400",
            ExitCode.USAGE,
            aResponse().withStatus(400).withBody(failure(6003, "Invalid header: Bearer " + TOKEN))),
        Arguments.of(
            "echoed 503",
            ExitCode.REMOTE,
            aResponse().withStatus(503).withStatusMessage("Unavailable for " + TOKEN)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyErrorKind")
  void failure_neverShowsTheToken(
      String kind, ExitCode expected, ResponseDefinitionBuilder answer) {
    server.stubFor(put(urlPathEqualTo(PATH)).willReturn(answer));

    CloudflareApiException e =
        assertThrows(CloudflareApiException.class, () -> kv.put("chatleo/v1", "x", null));

    assertEquals(expected, e.exitCode(), e.getMessage());
    for (Throwable t = e; t != null; t = t.getCause()) {
      assertFalse(String.valueOf(t.getMessage()).contains(TOKEN), kind + ": " + t);
      assertFalse(t.toString().contains(TOKEN), kind + ": " + t);
    }
    StringWriter trace = new StringWriter();
    e.printStackTrace(new PrintWriter(trace));
    assertFalse(trace.toString().contains(TOKEN), kind);
    assertFalse(e.errors().toString().contains(TOKEN), kind + ": " + e.errors());
  }

  @Test
  void echoedToken_isShownAsRedacted() {
    server.stubFor(
        put(urlPathEqualTo(PATH))
            .willReturn(
                aResponse()
                    .withStatus(401)
                    .withBody(failure(9109, "Invalid access token " + TOKEN))));

    CloudflareApiException e =
        assertThrows(CloudflareApiException.class, () -> kv.put("chatleo/v1", "x", null));

    assertTrue(e.getMessage().contains("9109 Invalid access token [redacted]"), e.getMessage());
  }

  @Test
  void toStrings_neverShowTheToken() {
    assertFalse(api.toString().contains(TOKEN), api.toString());
    assertTrue(api.toString().contains("[redacted]"), api.toString());
    assertFalse(kv.toString().contains(TOKEN), kv.toString());
  }
}
