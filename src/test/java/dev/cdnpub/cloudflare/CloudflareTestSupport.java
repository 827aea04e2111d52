package dev.cdnpub.cloudflare;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.random.RandomGenerator;
import okhttp3.OkHttpClient;

/** Shared wiring for the WireMock tests of this package. */
final class CloudflareTestSupport {
  /** Distinctive, so that a leak into any message is easy to find. */
  static final String TOKEN = "cf-TEST-token-5ecr3t-0a1b2c3d4e5f";

  static final String BEARER = "Bearer " + TOKEN;
  static final String BASE_PATH = "/client/v4";
  static final RetryPolicy POLICY =
      new RetryPolicy(4, Duration.ofSeconds(60), Duration.ofMillis(100), Duration.ofSeconds(5));

  private static final OkHttpClient HTTP =
      new OkHttpClient.Builder()
          .connectTimeout(Duration.ofSeconds(2))
          .readTimeout(Duration.ofSeconds(2))
          .writeTimeout(Duration.ofSeconds(2))
          .callTimeout(Duration.ofSeconds(5))
          .build();

  private CloudflareTestSupport() {}

  static WireMockExtension wireMock() {
    return WireMockExtension.newInstance()
        .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
        .build();
  }

  static CloudflareApi api(WireMockExtension server, FakeTime time) {
    return api(server, time, POLICY, new Random(7));
  }

  static CloudflareApi api(
      WireMockExtension server, FakeTime time, RetryPolicy policy, RandomGenerator random) {
    return new CloudflareApi(HTTP, server.baseUrl() + BASE_PATH, TOKEN, policy, time, random, time);
  }

  /** The requests the server received, oldest first. */
  static List<LoggedRequest> requests(WireMockExtension server) {
    List<LoggedRequest> requests = new ArrayList<>();
    server.getAllServeEvents().forEach(event -> requests.add(event.getRequest()));
    Collections.reverse(requests); // WireMock lists the newest first
    return requests;
  }

  static String success(String resultJson) {
    return "{\"success\":true,\"errors\":[],\"messages\":[],\"result\":" + resultJson + "}";
  }

  static String failure(int code, String message) {
    return "{\"success\":false,\"errors\":[{\"code\":"
        + code
        + ",\"message\":\""
        + message
        + "\"}],\"messages\":[],\"result\":null}";
  }
}
