package dev.cdnpub.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.RequestMethod;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.cdnpub.app.ApiFactory;
import dev.cdnpub.cloudflare.CloudflareApi;
import dev.cdnpub.cloudflare.RetryPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import okhttp3.OkHttpClient;

/**
 * WireMock standing in for the Cloudflare REST API's Workers KV endpoints, on loopback. By default
 * GET answers "key not found" and PUT succeeds; tests override stubs for error answers and read the
 * request journal to assert paths, headers and bodies.
 */
public final class KvApiMock implements AutoCloseable {
  public static final String ACCOUNT = "acc0123456789";
  public static final String NAMESPACE = "ns0123456789abcdef";
  public static final String TOKEN = "cf-api-token-SECRET-0123456789abcdef";
  public static final String VALUES =
      "/client/v4/accounts/" + ACCOUNT + "/storage/kv/namespaces/" + NAMESPACE + "/values/";

  public final WireMockServer server;

  public KvApiMock() {
    server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    server.start();
    reset();
  }

  /** Back to the default answers, with an empty journal. */
  public void reset() {
    server.resetAll();
    server.stubFor(
        get(urlPathMatching("/client/v4/.*/values/.*"))
            .atPriority(10)
            .willReturn(
                aResponse()
                    .withStatus(404)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"success\":false,\"errors\":[{\"code\":10009,\"message\":\"get: 'key not found'\"}],\"messages\":[],\"result\":null}")));
    server.stubFor(
        get(urlPathMatching("/client/v4/.*/metadata/.*"))
            .atPriority(10)
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"success\":true,\"errors\":[],\"messages\":[],\"result\":null}")));
    server.stubFor(
        put(urlPathMatching("/client/v4/.*/values/.*"))
            .atPriority(10)
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"success\":true,\"errors\":[],\"messages\":[],\"result\":null}")));
  }

  /**
   * Makes the API hold {@code value} at {@code key} (a GET answers it raw, as the API does; other
   * keys keep answering "key not found").
   */
  public void holds(String key, String value) {
    server.stubFor(
        get(urlPathEqualTo(VALUES + key.replace("/", "%2F")))
            .willReturn(aResponse().withStatus(200).withBody(value)));
  }

  /**
   * Makes the API hold {@code metadataJson} as the metadata of {@code key} (a GET of {@code
   * …/metadata/{key}} answers it as the envelope's result; other keys have none).
   */
  public void holdsMetadata(String key, String metadataJson) {
    server.stubFor(
        get(urlPathEqualTo(VALUES.replace("/values/", "/metadata/") + key.replace("/", "%2F")))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"success\":true,\"errors\":[],\"messages\":[],\"result\":"
                            + metadataJson
                            + "}")));
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.port() + "/client/v4";
  }

  /** Environment for an R2 + KV run against this mock. */
  public Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("CLOUDFLARE_ACCOUNT_ID", ACCOUNT);
    env.put("CDNPUB_KV_NAMESPACE_ID", NAMESPACE);
    env.put("CLOUDFLARE_API_TOKEN", TOKEN);
    env.put("CDNPUB_CLOUDFLARE_API", baseUrl());
    return env;
  }

  /**
   * KV writes received, oldest first, as "key=value" with the key as sent (URL-encoded); a write
   * with metadata (multipart/form-data, parts value and metadata) as "key=value metadata=JSON".
   */
  public List<String> puts() {
    List<String> puts = new ArrayList<>();
    List<ServeEvent> events = new ArrayList<>(server.getAllServeEvents());
    java.util.Collections.reverse(events); // WireMock lists newest first
    for (ServeEvent e : events) {
      LoggedRequest r = e.getRequest();
      if (RequestMethod.PUT.equals(r.getMethod()) && r.getUrl().startsWith(VALUES)) {
        String key = r.getUrl().substring(VALUES.length());
        if (r.isMultipart()) {
          puts.add(
              key
                  + "="
                  + r.getPart("value").getBody().asString()
                  + " metadata="
                  + r.getPart("metadata").getBody().asString());
        } else {
          puts.add(key + "=" + r.getBodyAsString());
        }
      }
    }
    return puts;
  }

  /** The value of the last write to {@code encodedKey}, or null. */
  public String lastPut(String encodedKey) {
    String last = lastWrite(encodedKey);
    return last == null ? null : last.split(" metadata=", 2)[0];
  }

  /** The metadata JSON of the last write to {@code encodedKey}; null when it had none. */
  public String lastMetadata(String encodedKey) {
    String last = lastWrite(encodedKey);
    return last == null || !last.contains(" metadata=") ? null : last.split(" metadata=", 2)[1];
  }

  private String lastWrite(String encodedKey) {
    String last = null;
    for (String p : puts()) {
      if (p.startsWith(encodedKey + "=")) {
        last = p.substring(encodedKey.length() + 1);
      }
    }
    return last;
  }

  /**
   * An API factory whose retries do not really wait, recording each wait asked for; long waits are
   * still announced to the run's notices.
   */
  public static ApiFactory noWait(List<Duration> waits) {
    return (base, token, notices) ->
        new CloudflareApi(
            new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(10)).build(),
            base,
            token,
            new RetryPolicy(
                4, Duration.ofSeconds(60), Duration.ofMillis(10), Duration.ofSeconds(30)),
            waits::add,
            new Random(1),
            java.time.InstantSource.system(),
            notices);
  }

  @Override
  public void close() {
    server.stop();
  }
}
