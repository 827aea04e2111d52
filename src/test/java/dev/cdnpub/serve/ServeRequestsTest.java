package dev.cdnpub.serve;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cdnpub.alias.LocalAliasKv;
import dev.cdnpub.app.ApiFactory;
import dev.cdnpub.app.Application;
import dev.cdnpub.app.ServeStore;
import dev.cdnpub.app.StoreFactory;
import dev.cdnpub.config.SettingsResolver;
import dev.cdnpub.testing.KvApiMock;
import dev.cdnpub.testing.RawHttp;
import dev.cdnpub.testing.S3ProxyServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What serve does with requests the vectors cannot express: raw targets as workerd parses them,
 * requests that are not HTTP as expected, the limits on names, and a failing alias store.
 */
class ServeRequestsTest {
  @TempDir Path work;
  private ServeStore.Serving serving;
  private KvApiMock kvApi;

  @AfterEach
  void stop() {
    if (serving != null) {
      serving.close();
    }
    if (kvApi != null) {
      kvApi.close();
    }
  }

  private void serveLocal() throws Exception {
    Files.createDirectories(work.resolve(".cdnpub"));
    new LocalAliasKv(work.resolve(".cdnpub")).put("chatleo/v1", "1.2.3", null);
    serve(Map.of(), ApiFactory.DEFAULT);
  }

  private void serve(Map<String, String> env, ApiFactory apis) {
    Application app =
        new Application(env, work, Clock.systemUTC(), line -> {}, StoreFactory.DEFAULT, apis);
    serving =
        new ServeStore(app)
            .start(
                new ServeStore.Request(
                    SettingsResolver.Flags.none(), "127.0.0.1", 0, RequestLog.NONE));
  }

  private RawHttp.Response raw(String requestLine, String... headers) throws Exception {
    Map<String, String> h = new LinkedHashMap<>();
    for (int i = 0; i < headers.length; i += 2) {
      h.put(headers[i], headers[i + 1]);
    }
    return RawHttp.send(serving.listener().port(), requestLine, h);
  }

  @Test
  void rawTarget_dotSegmentsAndBackslashes_resolvedAsWorkerdDoes_beforeTheResolver()
      throws Exception {
    serveLocal();
    RawHttp.Response dots =
        raw("GET /v1/chatleo/sub/../x.js?a=b HTTP/1.1", "Host", "cdn.example.com");
    assertEquals(302, dots.status(), dots.text());
    assertEquals("http://cdn.example.com/v1.2.3/chatleo/x.js?a=b", dots.header("location"));
    RawHttp.Response backslash = raw("GET /v1/chatleo/a\\b.js HTTP/1.1", "Host", "cdn.example.com");
    assertEquals("http://cdn.example.com/v1.2.3/chatleo/a/b.js", backslash.header("location"));
    RawHttp.Response defaultPort =
        raw("GET /v1/chatleo/x.js HTTP/1.1", "Host", "CDN.Example.com:80");
    assertEquals(
        "http://cdn.example.com/v1.2.3/chatleo/x.js",
        defaultPort.header("location"),
        "host lower-cased, default port dropped, as the URL parser does");
  }

  @Test
  void http10WithoutHost_usesTheAddressItCameIn() throws Exception {
    serveLocal();
    RawHttp.Response r = raw("GET /v1/chatleo/x.js HTTP/1.0");
    assertEquals(serving.url() + "/v1.2.3/chatleo/x.js", r.header("location"));
  }

  @Test
  void notHttpAsExpected_is400WithCors_andTheServerKeepsAnswering() throws Exception {
    serveLocal();
    for (String[] bad :
        List.of(
            new String[] {"GARBAGE", "Host", "cdn.example.com"},
            new String[] {"GET /v1/chatleo/x.js HTTP/2.0", "Host", "cdn.example.com"},
            new String[] {"GET http://cdn.example.com/v1/chatleo/x.js HTTP/1.1", "Host", "a"},
            new String[] {"GET /v1/chatleo/x.js HTTP/1.1", "Host", "evil.example/x?"},
            new String[] {"GET /v1/chatleo/x.js HTTP/1.1", "Host", "a b"},
            new String[] {"GET /v1/chatleo/x.js HTTP/1.1", "Host", "evil.example:99999"},
            new String[] {"GET /v1/chatleo/x.js HTTP/1.1", "Host", "evil.example:65536"},
            new String[] {"GET /v1/chatleo/x.js HTTP/1.1", "Host", "evil.example:0"},
            new String[] {"GET /v1/chatleo/x.js HTTP/1.1", "Host", "[::1]:70000"},
            new String[] {"GET /v1/chatleo/x.js HTTP/1.1", "Host", "a".repeat(64) + ".example"},
            new String[] {
              "GET /v1/chatleo/x.js HTTP/1.1", "Host", ("a".repeat(60) + ".").repeat(5) + "example"
            },
            new String[] {"GET /v1/chatleo/x.js HTTP/1.1", "Bad Header", "x"},
            new String[] {"GET /v1/chatleo/x.js HTTP/1.1", "X-Big", "x".repeat(40_000)})) {
      RawHttp.Response r = raw(bad[0], bad[1], bad[2]);
      assertEquals(400, r.status(), bad[0] + " " + bad[1]);
      assertTrue(r.text().startsWith("bad request: "), r.text());
      assertEquals("*", r.header("access-control-allow-origin"));
      assertNull(r.header("location"));
    }
    assertEquals(302, raw("GET /v1/chatleo/x.js HTTP/1.1", "Host", "cdn.example.com").status());
    assertEquals(
        "http://cdn.example.com:65535/v1.2.3/chatleo/x.js",
        raw("GET /v1/chatleo/x.js HTTP/1.1", "Host", "cdn.example.com:65535").header("location"),
        "the highest port is a port");
    assertEquals(
        "http://[::1]:1/v1.2.3/chatleo/x.js",
        raw("GET /v1/chatleo/x.js HTTP/1.1", "Host", "[::1]:1").header("location"));
  }

  @Test
  void overLongNames_refusedBeforeKvIsAsked() throws Exception {
    serveLocal();
    RawHttp.Response segment =
        raw("GET /v1/" + "a".repeat(520) + "/x.js HTTP/1.1", "Host", "cdn.example.com");
    assertEquals(400, segment.status());
    assertTrue(segment.text().contains("longer than 255 bytes"), segment.text());
    RawHttp.Response library =
        raw("GET /v1/" + "a".repeat(215) + "/x.js HTTP/1.1", "Host", "cdn.example.com");
    assertEquals(400, library.status());
    assertTrue(library.text().contains("bad library name"), library.text());
    RawHttp.Response longest =
        raw(
            "GET /" + "t".repeat(64) + "/" + "a".repeat(214) + "/x.js HTTP/1.1",
            "Host",
            "cdn.example.com");
    assertEquals(404, longest.status(), "the longest tag and library are a KV key, not found");
  }

  @Test
  void failingAliasStore_is503WithCorsAndNoStore_notAnError() throws Exception {
    kvApi = new KvApiMock();
    kvApi.server.stubFor(
        get(urlPathMatching("/client/v4/.*/values/.*"))
            .willReturn(aResponse().withStatus(500).withBody("{\"success\":false}")));
    S3ProxyServer s3 = S3ProxyServer.shared();
    Map<String, String> env = new HashMap<>(s3.r2Env(s3.newBucket()));
    env.putAll(kvApi.env());
    serve(env, KvApiMock.noWait(new ArrayList<>()));
    RawHttp.Response r = raw("GET /v1/chatleo/x.js HTTP/1.1", "Host", "cdn.example.com");
    assertEquals(503, r.status(), r.text());
    assertEquals("alias store unavailable: chatleo/v1\n", r.text());
    assertEquals("*", r.header("access-control-allow-origin"));
    assertEquals("no-store", r.header("cache-control"));
    assertNull(r.header("location"));
  }
}
