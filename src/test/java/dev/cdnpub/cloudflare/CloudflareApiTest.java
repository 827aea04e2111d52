package dev.cdnpub.cloudflare;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static dev.cdnpub.cloudflare.CloudflareTestSupport.BASE_PATH;
import static dev.cdnpub.cloudflare.CloudflareTestSupport.BEARER;
import static dev.cdnpub.cloudflare.CloudflareTestSupport.POLICY;
import static dev.cdnpub.cloudflare.CloudflareTestSupport.TOKEN;
import static dev.cdnpub.cloudflare.CloudflareTestSupport.failure;
import static dev.cdnpub.cloudflare.CloudflareTestSupport.success;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.cdnpub.core.CdnpubException;
import dev.cdnpub.core.ExitCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Random;
import java.util.random.RandomGenerator;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.RequestBody;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Retries, error translation and authentication of the one HTTP choke point. */
class CloudflareApiTest {
  @RegisterExtension static WireMockExtension server = CloudflareTestSupport.wireMock();

  private static final Operation WRITE_KV =
      new Operation("write Workers KV", "Workers KV Storage Write");
  private static final String KV_PATH =
      "/accounts/acc/storage/kv/namespaces/ns/values/chatleo%2Fv1";
  private static final String PATH = BASE_PATH + KV_PATH;

  private final FakeTime time = new FakeTime();
  private final CloudflareApi api = CloudflareTestSupport.api(server, time);

  private static ApiRequest putValue() {
    return ApiRequest.of(
            "PUT",
            WRITE_KV,
            "accounts",
            "acc",
            "storage",
            "kv",
            "namespaces",
            "ns",
            "values",
            "chatleo/v1")
        .withBody(
            RequestBody.create(
                "v1.2.3".getBytes(StandardCharsets.UTF_8), MediaType.get("text/plain")));
  }

  private static void answerPut(
      com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder answer) {
    server.stubFor(put(urlPathEqualTo(PATH)).willReturn(answer));
  }

  private CloudflareApiException callFails() {
    return assertThrows(CloudflareApiException.class, () -> api.call(putValue()));
  }

  private static void assertRequests(int count) {
    server.verify(exactly(count), putRequestedFor(urlPathEqualTo(PATH)));
    assertEquals(count, server.getAllServeEvents().size());
  }

  @Test
  void call_sendsBearerTokenUserAgentAndKeyAsOneEncodedSegment() {
    answerPut(aResponse().withStatus(200).withBody(success("null")));

    ApiEnvelope envelope = api.call(putValue());

    assertTrue(envelope.success());
    server.verify(
        putRequestedFor(urlPathEqualTo(PATH))
            .withHeader("Authorization", equalTo(BEARER))
            .withHeader("User-Agent", equalTo("cdnpub")));
    assertEquals(PATH, server.getAllServeEvents().get(0).getRequest().getUrl());
  }

  @Test
  void call_returnsTheEnvelopeResultAndResultInfo() {
    server.stubFor(
        get(urlPathEqualTo(BASE_PATH + "/zones/z/thing"))
            .willReturn(
                aResponse()
                    .withBody(
                        "{\"success\":true,\"errors\":[],\"messages\":[],\"result\":{\"id\":\"r1\"},"
                            + "\"result_info\":{\"cursor\":\"c2\"}}")));

    ApiEnvelope envelope = api.call(ApiRequest.of("GET", WRITE_KV, "zones", "z", "thing"));

    assertEquals("r1", envelope.result().path("id").asText());
    assertEquals("c2", envelope.resultInfo().path("cursor").asText());
  }

  @Test
  void callRaw_returnsTheBodyAsIs() {
    server.stubFor(get(urlPathEqualTo(PATH)).willReturn(aResponse().withBody("not json")));

    byte[] body =
        api.callRaw(
            ApiRequest.of(
                "GET",
                WRITE_KV,
                "accounts",
                "acc",
                "storage",
                "kv",
                "namespaces",
                "ns",
                "values",
                "chatleo/v1"));

    assertArrayEquals("not json".getBytes(StandardCharsets.UTF_8), body);
    server.verify(
        getRequestedFor(urlPathEqualTo(PATH)).withHeader("Authorization", equalTo(BEARER)));
  }

  @Test
  void unauthorized401_failsWithAuthAtOnce() {
    answerPut(aResponse().withStatus(401).withBody(failure(10000, "Authentication error")));

    CloudflareApiException e = callFails();

    assertEquals(ExitCode.AUTH, e.exitCode());
    assertEquals(
        "Cloudflare refused to write Workers KV (HTTP 401, 10000 Authentication error): check that"
            + " CLOUDFLARE_API_TOKEN is a valid, active API token with the 'Workers KV Storage"
            + " Write' permission.",
        e.getMessage());
    assertRequests(1);
    assertEquals(List.of(), time.sleeps());
  }

  @Test
  void forbidden403_failsWithAuthAtOnceNamingThePermission() {
    answerPut(aResponse().withStatus(403).withBody(failure(10000, "Authentication error")));

    CloudflareApiException e = callFails();

    assertEquals(ExitCode.AUTH, e.exitCode());
    assertEquals(
        "Cloudflare refused to write Workers KV (HTTP 403, 10000 Authentication error): check that"
            + " CLOUDFLARE_API_TOKEN has the 'Workers KV Storage Write' permission.",
        e.getMessage());
    assertEquals(403, e.httpStatus());
    assertTrue(e.hasErrorCode(10000));
    assertRequests(1);
  }

  @Test
  void tooManyRequests_waitsWhatRetryAfterSaysThenSucceeds() {
    server.stubFor(
        put(urlPathEqualTo(PATH))
            .inScenario("rate")
            .whenScenarioStateIs(STARTED)
            .willReturn(
                aResponse()
                    .withStatus(429)
                    .withHeader("retry-after", "2")
                    .withBody(
                        failure(971, "Please wait and consider throttling your request speed")))
            .willSetStateTo("cooled"));
    server.stubFor(
        put(urlPathEqualTo(PATH))
            .inScenario("rate")
            .whenScenarioStateIs("cooled")
            .willReturn(aResponse().withBody(success("null"))));

    assertTrue(api.call(putValue()).success());

    assertEquals(List.of(Duration.ofSeconds(2)), time.sleeps());
    assertRequests(2);
  }

  @Test
  void longWait_isAnnouncedBeforeItStarts_withStatusOperationSecondsAndAttempt() {
    List<String> events = new java.util.ArrayList<>();
    CloudflareApi announcing =
        new CloudflareApi(
            new OkHttpClient(),
            server.baseUrl() + BASE_PATH,
            TOKEN,
            POLICY,
            d -> events.add("sleep " + d.toSeconds()),
            new Random(7),
            time,
            line -> events.add("notice " + line));
    server.stubFor(
        put(urlPathEqualTo(PATH))
            .inScenario("rate")
            .whenScenarioStateIs(STARTED)
            .willReturn(aResponse().withStatus(429).withHeader("retry-after", "4"))
            .willSetStateTo("cooled"));
    server.stubFor(
        put(urlPathEqualTo(PATH))
            .inScenario("rate")
            .whenScenarioStateIs("cooled")
            .willReturn(aResponse().withBody(success("null"))));

    announcing.call(putValue());

    assertEquals(
        List.of(
            "notice Cloudflare API answered 429 (write Workers KV); retrying in 4 s (attempt 2 of 4)",
            "sleep 4"),
        events);
  }

  @Test
  void shortWaits_areNotAnnounced_andANoAnswerWaitNamesTheFailure() {
    List<String> notices = new java.util.ArrayList<>();
    RetryPolicy longBackoff =
        new RetryPolicy(3, Duration.ofMinutes(5), Duration.ofSeconds(20), Duration.ofSeconds(20));
    CloudflareApi announcing =
        new CloudflareApi(
            new OkHttpClient(),
            server.baseUrl() + BASE_PATH,
            TOKEN,
            longBackoff,
            time,
            () -> 0L /* the smallest jitter */,
            time,
            notices::add);
    answerPut(aResponse().withStatus(503));
    assertThrows(CloudflareApiException.class, () -> announcing.call(putValue()));
    assertEquals(List.of(), notices, "zero-second waits pass silently");

    CloudflareApi jittered =
        new CloudflareApi(
            new OkHttpClient(),
            server.baseUrl() + BASE_PATH,
            TOKEN,
            longBackoff,
            time,
            new RandomGenerator() {
              @Override
              public long nextLong() {
                return 0;
              }

              @Override
              public long nextLong(long bound) {
                return bound - 1; // the largest jitter: 20 s
              }
            },
            time,
            notices::add);
    answerPut(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));
    assertThrows(CloudflareApiException.class, () -> jittered.call(putValue()));
    assertEquals(2, notices.size(), notices.toString());
    assertTrue(notices.get(0).startsWith("Cloudflare API gave no answer ("), notices.get(0));
    assertTrue(notices.get(0).endsWith("; retrying in 20 s (attempt 2 of 3)"), notices.get(0));
    assertTrue(notices.get(1).endsWith("(attempt 3 of 3)"), notices.get(1));
    assertFalse(String.join("\n", notices).contains(TOKEN));
  }

  @Test
  void retryAfterAsHttpDate_waitsUntilThatDate() {
    String inThreeSeconds =
        DateTimeFormatter.RFC_1123_DATE_TIME.format(
            FakeTime.START.plusSeconds(3).atZone(java.time.ZoneOffset.UTC));
    server.stubFor(
        put(urlPathEqualTo(PATH))
            .inScenario("rate")
            .whenScenarioStateIs(STARTED)
            .willReturn(aResponse().withStatus(503).withHeader("Retry-After", inThreeSeconds))
            .willSetStateTo("up"));
    server.stubFor(
        put(urlPathEqualTo(PATH))
            .inScenario("rate")
            .whenScenarioStateIs("up")
            .willReturn(aResponse().withBody(success("null"))));

    api.call(putValue());

    assertEquals(List.of(Duration.ofSeconds(3)), time.sleeps());
  }

  @Test
  void retryAfterLongerThanMaxDelay_isCappedAtMaxDelay() {
    answerPut(aResponse().withStatus(429).withHeader("retry-after", "3600"));

    callFails();

    assertEquals(List.of(POLICY.maxDelay(), POLICY.maxDelay(), POLICY.maxDelay()), time.sleeps());
  }

  @Test
  void serverErrorThenSuccess_isRetriedAfterAJitteredBackoff() {
    server.stubFor(
        put(urlPathEqualTo(PATH))
            .inScenario("flaky")
            .whenScenarioStateIs(STARTED)
            .willReturn(aResponse().withStatus(500))
            .willSetStateTo("ok"));
    server.stubFor(
        put(urlPathEqualTo(PATH))
            .inScenario("flaky")
            .whenScenarioStateIs("ok")
            .willReturn(aResponse().withBody(success("null"))));

    assertTrue(api.call(putValue()).success());

    assertRequests(2);
    assertEquals(1, time.sleeps().size());
    assertTrue(time.sleeps().get(0).compareTo(POLICY.baseDelay()) <= 0, time.sleeps().toString());
  }

  @Test
  void serverErrorForever_failsRemoteAfterMaxAttempts() {
    answerPut(aResponse().withStatus(503).withBody(failure(10013, "service unavailable")));

    CloudflareApiException e = callFails();

    assertEquals(ExitCode.REMOTE, e.exitCode());
    assertEquals(
        "Cloudflare API failed for PUT "
            + KV_PATH
            + " after 4 attempts: HTTP 503, 10013 service"
            + " unavailable.",
        e.getMessage());
    assertRequests(POLICY.maxAttempts());
    assertEquals(POLICY.maxAttempts() - 1, time.sleeps().size());
  }

  /** Messages are written for machines too: ASCII digits whatever the JVM's default locale. */
  @Test
  void serverErrorForever_underAnArabicDefaultLocale_countsTheAttemptsInAsciiDigits() {
    answerPut(aResponse().withStatus(503).withBody(failure(10013, "service unavailable")));

    CloudflareApiException e =
        dev.cdnpub.testing.DefaultLocale.during(
            dev.cdnpub.testing.DefaultLocale.ARABIC, this::callFails);

    assertTrue(
        e.getMessage().endsWith(" after 4 attempts: HTTP 503, 10013 service unavailable."),
        e.getMessage());
    assertFalse(dev.cdnpub.testing.DefaultLocale.hasArabicDigits(e.getMessage()), e.getMessage());
  }

  @Test
  void backoff_growsExponentiallyUpToMaxDelay() {
    RandomGenerator highest =
        new RandomGenerator() {
          @Override
          public long nextLong() {
            throw new AssertionError("only nextLong(bound) is expected");
          }

          @Override
          public long nextLong(long bound) {
            return bound - 1;
          }
        };
    RetryPolicy policy =
        new RetryPolicy(6, Duration.ofMinutes(5), Duration.ofSeconds(1), Duration.ofSeconds(5));
    CloudflareApi api = CloudflareTestSupport.api(server, time, policy, highest);
    answerPut(aResponse().withStatus(502));

    assertThrows(CloudflareApiException.class, () -> api.call(putValue()));

    assertEquals(List.of(1, 2, 4, 5, 5).stream().map(Duration::ofSeconds).toList(), time.sleeps());
    assertRequests(6);
  }

  @Test
  void maxTotalTime_stopsRetryingWhenUsedUp() {
    RetryPolicy policy =
        new RetryPolicy(10, Duration.ofMillis(2500), Duration.ofMillis(100), Duration.ofSeconds(5));
    CloudflareApi api = CloudflareTestSupport.api(server, time, policy, new Random(7));
    answerPut(aResponse().withStatus(503).withHeader("retry-after", "1"));

    CloudflareApiException e =
        assertThrows(CloudflareApiException.class, () -> api.call(putValue()));

    assertEquals(ExitCode.REMOTE, e.exitCode());
    assertEquals(
        List.of(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofMillis(500)),
        time.sleeps());
    assertRequests(4);
    assertTrue(e.getMessage().contains("after 4 attempts: HTTP 503"), e.getMessage());
  }

  @Test
  void successFalseOn200_failsRemoteWithTheApiMessage() {
    answerPut(aResponse().withStatus(200).withBody(failure(10046, "value too large")));

    CloudflareApiException e = callFails();

    assertEquals(ExitCode.REMOTE, e.exitCode());
    assertEquals(
        "Cloudflare reported a failure to write Workers KV: HTTP 200, 10046 value too large (PUT "
            + KV_PATH
            + ").",
        e.getMessage());
    assertRequests(1);
  }

  @Test
  void answerThatIsNoEnvelope_failsRemote() {
    answerPut(aResponse().withStatus(200).withBody("<html>maintenance</html>"));

    CloudflareApiException e = callFails();

    assertEquals(ExitCode.REMOTE, e.exitCode());
    assertTrue(e.getMessage().contains("not with its JSON envelope"), e.getMessage());
  }

  @Test
  void badRequest400_failsUsageWithTheApiMessage() {
    answerPut(
        aResponse().withStatus(400).withBody(failure(10011, "could not parse namespace id.")));

    CloudflareApiException e = callFails();

    assertEquals(ExitCode.USAGE, e.exitCode());
    assertEquals(
        "Cloudflare could not write Workers KV: HTTP 400, 10011 could not parse namespace id (PUT "
            + KV_PATH
            + ").",
        e.getMessage());
    assertRequests(1);
  }

  @Test
  void clientErrorWithoutEnvelope_fallsBackToTheStatusLine() {
    answerPut(
        aResponse().withStatus(413).withStatusMessage("Payload Too Large").withBody("<h1>no</h1>"));

    CloudflareApiException e = callFails();

    assertEquals(ExitCode.USAGE, e.exitCode());
    assertTrue(e.getMessage().contains(": HTTP 413 Payload Too Large (PUT "), e.getMessage());
    assertEquals(List.of(), e.errors());
  }

  @Test
  void notFound404_failsNotFound() {
    answerPut(aResponse().withStatus(404).withBody(failure(10013, "namespace not found")));

    CloudflareApiException e = callFails();

    assertEquals(ExitCode.NOT_FOUND, e.exitCode());
    assertTrue(e.getMessage().contains("HTTP 404, 10013 namespace not found"), e.getMessage());
    assertRequests(1);
  }

  @Test
  void connectionReset_isRetriedThenFailsRemote() {
    answerPut(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));

    CloudflareApiException e = callFails();

    assertEquals(ExitCode.REMOTE, e.exitCode());
    assertEquals(0, e.httpStatus());
    assertInstanceOf(IOException.class, e.getCause());
    assertTrue(
        e.getMessage()
            .startsWith(
                "Cloudflare API failed for PUT " + KV_PATH + " after 4 attempts: no answer ("),
        e.getMessage());
    assertRequests(POLICY.maxAttempts());
  }

  @Test
  void readTimeout_isRetriedThenFailsRemote() {
    OkHttpClient impatient = new OkHttpClient.Builder().readTimeout(Duration.ofMillis(150)).build();
    RetryPolicy twice =
        new RetryPolicy(2, Duration.ofMinutes(1), Duration.ofMillis(10), Duration.ofSeconds(1));
    CloudflareApi api =
        new CloudflareApi(
            impatient, server.baseUrl() + BASE_PATH, TOKEN, twice, time, new Random(7), time);
    answerPut(aResponse().withFixedDelay(1_000).withBody(success("null")));

    CloudflareApiException e =
        assertThrows(CloudflareApiException.class, () -> api.call(putValue()));

    assertEquals(ExitCode.REMOTE, e.exitCode());
    assertInstanceOf(java.net.SocketTimeoutException.class, e.getCause());
    assertTrue(
        e.getMessage().contains("after 2 attempts: no answer (SocketTimeoutException"),
        e.getMessage());
    assertEquals(1, time.sleeps().size());
  }

  @Test
  void connectionResetThenSuccess_succeeds() {
    server.stubFor(
        put(urlPathEqualTo(PATH))
            .inScenario("net")
            .whenScenarioStateIs(STARTED)
            .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER))
            .willSetStateTo("ok"));
    server.stubFor(
        put(urlPathEqualTo(PATH))
            .inScenario("net")
            .whenScenarioStateIs("ok")
            .willReturn(aResponse().withBody(success("null"))));

    assertTrue(api.call(putValue()).success());

    assertRequests(2);
  }

  @Test
  void interruptedWhileWaiting_failsRemoteAndKeepsTheInterruptFlag() {
    Sleeper interrupted =
        d -> {
          throw new InterruptedException("stop");
        };
    CloudflareApi api =
        new CloudflareApi(
            new OkHttpClient(),
            server.baseUrl() + BASE_PATH,
            TOKEN,
            POLICY,
            interrupted,
            new Random(7),
            time);
    answerPut(aResponse().withStatus(500));

    CloudflareApiException e =
        assertThrows(CloudflareApiException.class, () -> api.call(putValue()));

    assertTrue(Thread.interrupted(), "interrupt flag kept (and cleared here)");
    assertEquals(ExitCode.REMOTE, e.exitCode());
    assertRequests(1);
  }

  @Test
  void dotSegments_areRefusedWithoutARequest() {
    CdnpubException e =
        assertThrows(
            CdnpubException.class,
            () -> api.call(ApiRequest.of("GET", WRITE_KV, "accounts", "..", "x")));

    assertEquals(ExitCode.USAGE, e.exitCode());
    assertEquals(0, server.getAllServeEvents().size());
  }

  @Test
  void tokenWithANewline_isRefusedAtConstruction() {
    CdnpubException e =
        assertThrows(
            CdnpubException.class,
            () ->
                new CloudflareApi(
                    new OkHttpClient(),
                    server.baseUrl(),
                    TOKEN + "\n",
                    POLICY,
                    time,
                    new Random(),
                    time));

    assertEquals(ExitCode.USAGE, e.exitCode());
    assertFalse(e.getMessage().contains(TOKEN));
  }

  @Test
  void baseUrlThatIsNotHttp_isRefusedAtConstruction() {
    CdnpubException e =
        assertThrows(
            CdnpubException.class,
            () ->
                new CloudflareApi(
                    new OkHttpClient(),
                    "ftp://example.com",
                    TOKEN,
                    POLICY,
                    time,
                    new Random(),
                    time));

    assertEquals(ExitCode.USAGE, e.exitCode());
  }
}
