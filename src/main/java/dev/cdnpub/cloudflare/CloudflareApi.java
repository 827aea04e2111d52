package dev.cdnpub.cloudflare;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdnpub.core.CdnpubException;
import dev.cdnpub.core.ExitCode;
import dev.cdnpub.core.Jackson;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * The one place where cdnpub talks HTTP to the Cloudflare API v4. Every call is authenticated with
 * {@code Authorization: Bearer <token>}, retried where that can help, and every failure leaves as a
 * {@link CloudflareApiException} with one sentence and an exit code:
 *
 * <ul>
 *   <li>HTTP 429, 5xx and network errors are retried under the {@link RetryPolicy}, waiting what a
 *       {@code retry-after} header asks for (capped by the policy's max delay and the time left) or
 *       else an exponential backoff with full jitter; once attempts or time run out: {@link
 *       ExitCode#REMOTE}.
 *   <li>401 and 403: {@link ExitCode#AUTH} at once, naming the token permission the {@link
 *       Operation} needs.
 *   <li>404: {@link ExitCode#NOT_FOUND}; any other 4xx: {@link ExitCode#USAGE} (a wrong account,
 *       namespace, zone or script setting), never retried, with the API's own error codes and
 *       messages, or the status line when the body is not an envelope.
 *   <li>A 2xx whose envelope says {@code success: false}, or is no envelope where one is expected:
 *       {@link ExitCode#REMOTE}.
 *   <li>Interrupted while waiting to retry: {@link ExitCode#REMOTE}, with the interrupt flag kept.
 * </ul>
 *
 * <p>A wait of {@link #NOTICE_WAIT} or longer before a retry is announced first, as one line to the
 * notice callback (the CLI prints it on stderr), so that a long pause never looks like a hang.
 *
 * <p>The token never appears in an exception message, a cause, or {@link #toString()}. Instances
 * are immutable and safe to share across threads as long as the {@link Sleeper} is thread-safe (the
 * random generator is used under a lock).
 */
public final class CloudflareApi {
  public static final String DEFAULT_BASE_URL = "https://api.cloudflare.com/client/v4";
  static final String USER_AGENT = "cdnpub";
  private static final String TOKEN_VARIABLE = "CLOUDFLARE_API_TOKEN";
  private static final String REDACTED = "[redacted]";
  private static final ObjectMapper JSON = Jackson.MAPPER;

  /**
   * The HTTP client of every Cloudflare API call: connect 10 s, read 30 s (longest silence while
   * reading), write 30 s (longest stall while sending), and 60 s for a whole request, so no attempt
   * can hang; {@link RetryPolicy#defaults()} bounds the attempts and waits around it.
   */
  public static OkHttpClient.Builder httpClient() {
    return new OkHttpClient.Builder()
        .connectTimeout(Duration.ofSeconds(10))
        .readTimeout(Duration.ofSeconds(30))
        .writeTimeout(Duration.ofSeconds(30))
        .callTimeout(Duration.ofSeconds(60));
  }

  /**
   * cdnpub's client: {@link #httpClient()}, {@link RetryPolicy#defaults()}, real time and waits.
   */
  public static CloudflareApi open(String baseUrl, String apiToken, Consumer<String> notices) {
    return new CloudflareApi(
        httpClient().build(),
        baseUrl,
        apiToken,
        RetryPolicy.defaults(),
        Sleeper.system(),
        new Random(),
        InstantSource.system(),
        notices);
  }

  /** Waits at least this long are announced before they start; shorter ones pass silently. */
  public static final Duration NOTICE_WAIT = Duration.ofSeconds(3);

  private final OkHttpClient http;
  private final HttpUrl baseUrl;
  private final String apiToken;
  private final RetryPolicy retryPolicy;
  private final Sleeper sleeper;
  private final RandomGenerator random;
  private final InstantSource clock;
  private final Consumer<String> notices;

  /**
   * @param http the HTTP client; its timeouts apply to each attempt. Its own silent retry on
   *     connection failure is turned off for this API so that {@code retryPolicy} alone decides.
   * @param baseUrl the API root, normally {@link #DEFAULT_BASE_URL}
   * @param apiToken the API token; never shown anywhere
   * @param random the source of backoff jitter
   * @param clock measures the policy's total time and reads {@code retry-after} dates
   * @param notices receives one line (no token, no final period) before each wait of {@link
   *     #NOTICE_WAIT} or longer, e.g. {@code Cloudflare API answered 429 (write Workers KV key
   *     'chatleo/v1'); retrying in 12 s (attempt 2 of 4)}; called on the requesting thread
   * @throws CdnpubException {@link ExitCode#USAGE} if the base URL is not an http(s) URL or the
   *     token is empty or cannot be sent in a header
   */
  public CloudflareApi(
      OkHttpClient http,
      String baseUrl,
      String apiToken,
      RetryPolicy retryPolicy,
      Sleeper sleeper,
      RandomGenerator random,
      InstantSource clock,
      Consumer<String> notices) {
    Objects.requireNonNull(http, "http");
    this.baseUrl = HttpUrl.parse(Objects.requireNonNull(baseUrl, "baseUrl"));
    if (this.baseUrl == null) {
      throw CdnpubException.usage(
          "The Cloudflare API base URL '" + baseUrl + "' is not an http(s) URL.");
    }
    this.apiToken = checkToken(apiToken);
    this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    this.random = Objects.requireNonNull(random, "random");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.notices = Objects.requireNonNull(notices, "notices");
    // Attempts must be countable and bounded: OkHttp would otherwise resend on its own.
    this.http = http.newBuilder().retryOnConnectionFailure(false).build();
  }

  /** As the full constructor, announcing no wait. */
  public CloudflareApi(
      OkHttpClient http,
      String baseUrl,
      String apiToken,
      RetryPolicy retryPolicy,
      Sleeper sleeper,
      RandomGenerator random,
      InstantSource clock) {
    this(http, baseUrl, apiToken, retryPolicy, sleeper, random, clock, line -> {});
  }

  /**
   * Sends a request whose answer is a JSON envelope and returns it.
   *
   * @throws CloudflareApiException on any failure, as described on the class
   */
  public ApiEnvelope call(ApiRequest request) {
    Exchange exchange = exchange(request);
    Answer answer = send(exchange);
    Optional<ApiEnvelope> envelope = answer.envelope();
    if (envelope.isEmpty()) {
      throw failure(
          ExitCode.REMOTE,
          String.format(
              Locale.ROOT,
              "Cloudflare answered %s with HTTP %d but not with its JSON envelope.",
              exchange.target,
              answer.status),
          answer,
          null);
    }
    if (!envelope.get().success()) {
      throw failure(
          ExitCode.REMOTE,
          String.format(
              Locale.ROOT,
              "Cloudflare reported a failure to %s: %s (%s).",
              request.operation().description(),
              detail(answer),
              exchange.target),
          answer,
          null);
    }
    return envelope.get();
  }

  /**
   * Sends a request whose successful answer is raw bytes (a KV value), and returns them. Error
   * answers are still read as envelopes.
   *
   * @throws CloudflareApiException on any failure, as described on the class
   */
  public byte[] callRaw(ApiRequest request) {
    return send(exchange(request)).body;
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "CloudflareApi[baseUrl=%s, apiToken=%s, retryPolicy=%s]",
        baseUrl,
        REDACTED,
        retryPolicy);
  }

  private Answer send(Exchange exchange) {
    Instant start = clock.instant();
    for (int attempt = 1; ; attempt++) {
      Answer answer = null;
      IOException noAnswer = null;
      try {
        answer = attempt(exchange.request);
      } catch (IOException e) {
        noAnswer = e;
      }
      if (answer != null && answer.status / 100 == 2) {
        return answer;
      }
      if (answer != null && !answer.retryable()) {
        throw refusal(exchange, answer);
      }
      Optional<Duration> wait =
          Thread.currentThread().isInterrupted()
              ? Optional.empty()
              : nextWait(attempt, start, answer);
      if (wait.isEmpty()) {
        String why = answer != null ? detail(answer) : "no answer (" + describe(noAnswer) + ")";
        throw failure(
            ExitCode.REMOTE,
            String.format(
                Locale.ROOT,
                "Cloudflare API failed for %s after %d %s: %s.",
                exchange.target,
                attempt,
                attempt == 1 ? "attempt" : "attempts",
                why),
            answer,
            noAnswer);
      }
      announce(wait.get(), attempt, exchange, answer, noAnswer);
      pause(wait.get(), exchange);
    }
  }

  /** Tells the notice callback about a long wait before attempt {@code failedAttempts + 1}. */
  private void announce(
      Duration wait, int failedAttempts, Exchange exchange, Answer answer, IOException noAnswer) {
    if (wait.compareTo(NOTICE_WAIT) < 0) {
      return;
    }
    String what =
        answer != null
            ? "answered " + answer.status
            : "gave no answer (" + describe(noAnswer) + ")";
    long seconds = (wait.toMillis() + 999) / 1000;
    notices.accept(
        redact(
            String.format(
                Locale.ROOT,
                "Cloudflare API %s (%s); retrying in %d s (attempt %d of %d)",
                what,
                exchange.operation.description(),
                seconds,
                failedAttempts + 1,
                retryPolicy.maxAttempts())));
  }

  private Answer attempt(Request request) throws IOException {
    try (Response response = http.newCall(request).execute()) {
      ResponseBody body = response.body();
      return new Answer(
          response.code(),
          response.message(),
          response.header("retry-after"),
          body == null ? new byte[0] : body.bytes());
    }
  }

  /** The wait before the next attempt, or empty when the policy allows none. */
  private Optional<Duration> nextWait(int failedAttempts, Instant start, Answer answer) {
    if (failedAttempts >= retryPolicy.maxAttempts()) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    Duration left = retryPolicy.maxTotalTime().minus(Duration.between(start, now));
    if (left.isNegative() || left.isZero()) {
      return Optional.empty();
    }
    Duration wait =
        Optional.ofNullable(answer)
            .flatMap(a -> RetryAfter.parse(a.retryAfter, now))
            .map(asked -> min(asked, retryPolicy.maxDelay()))
            .orElseGet(() -> jitteredBackoff(failedAttempts));
    return Optional.of(min(wait, left));
  }

  private Duration jitteredBackoff(int failedAttempts) {
    synchronized (random) {
      return retryPolicy.backoff(failedAttempts, random);
    }
  }

  private void pause(Duration wait, Exchange exchange) {
    try {
      sleeper.sleep(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failure(
          ExitCode.REMOTE, "Interrupted while waiting to retry " + exchange.target + ".", null, e);
    }
  }

  private CloudflareApiException refusal(Exchange exchange, Answer answer) {
    Operation operation = exchange.operation;
    int status = answer.status;
    if (status == 401 || status == 403) {
      return failure(
          ExitCode.AUTH,
          String.format(
              Locale.ROOT,
              "Cloudflare refused to %s (%s): check that %s.",
              operation.description(),
              detail(answer),
              tokenHint(status, operation.permission())),
          answer,
          null);
    }
    ExitCode code =
        status == 404 ? ExitCode.NOT_FOUND : status / 100 == 4 ? ExitCode.USAGE : ExitCode.REMOTE;
    return failure(
        code,
        String.format(
            Locale.ROOT,
            "Cloudflare could not %s: %s (%s).",
            operation.description(),
            detail(answer),
            exchange.target),
        answer,
        null);
  }

  private static String tokenHint(int status, String permission) {
    String with = permission == null ? "" : " with the '" + permission + "' permission";
    if (status == 401) {
      // 401 means the token itself was not accepted, not that it lacks a permission.
      return TOKEN_VARIABLE + " is a valid, active API token" + with;
    }
    return permission == null
        ? TOKEN_VARIABLE + " has the permissions this needs"
        : TOKEN_VARIABLE + " has the '" + permission + "' permission";
  }

  /** "HTTP 403, 10000 Authentication error", or the status line when there is no envelope. */
  private static String detail(Answer answer) {
    List<ApiError> said = answer.explanation();
    if (said.isEmpty()) {
      return ("HTTP " + answer.status + " " + answer.reason).trim();
    }
    return "HTTP "
        + answer.status
        + ", "
        + said.stream()
            .map(e -> withoutFinalPeriod(e.toString()))
            .collect(Collectors.joining("; "));
  }

  private static String describe(IOException e) {
    String message = e.getMessage();
    String kind = e.getClass().getSimpleName();
    return message == null || message.isBlank() ? kind : kind + ": " + message;
  }

  private static String withoutFinalPeriod(String text) {
    return text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
  }

  private CloudflareApiException failure(
      ExitCode code, String message, Answer answer, Throwable cause) {
    return new CloudflareApiException(
        code,
        redact(message),
        answer == null ? 0 : answer.status,
        answer == null ? List.of() : redact(answer.explanation()),
        withoutToken(cause));
  }

  private String redact(String text) {
    return text == null ? null : text.replace(apiToken, REDACTED);
  }

  private List<ApiError> redact(List<ApiError> errors) {
    return errors.stream().map(e -> new ApiError(e.code(), redact(e.message()))).toList();
  }

  /** The cause itself, unless some message in its chain would show the token. */
  private Throwable withoutToken(Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t.getMessage() != null && t.getMessage().contains(apiToken)) {
        // The cause chain is printed with --verbose; a copy without the token is the safe stand-in.
        return new IOException(redact(cause.toString()));
      }
    }
    return cause;
  }

  private Exchange exchange(ApiRequest request) {
    HttpUrl.Builder url = baseUrl.newBuilder();
    for (String segment : request.pathSegments()) {
      // OkHttp resolves "." and ".." instead of sending them, and an empty segment would merge two.
      if (segment == null || segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        throw CdnpubException.usage(
            String.format(
                Locale.ROOT,
                "Cannot %s: '%s' is not a name Cloudflare can address.",
                request.operation().description(),
                segment));
      }
      url.addPathSegment(segment);
    }
    request.query().forEach(url::addQueryParameter);
    HttpUrl built = url.build();
    Request httpRequest =
        new Request.Builder()
            .url(built)
            .header("Authorization", "Bearer " + apiToken)
            .header("User-Agent", USER_AGENT)
            .method(request.method(), request.body())
            .build();
    return new Exchange(
        httpRequest, request.method() + " " + relativePath(built), request.operation());
  }

  /** The path below the base URL, still encoded, so that messages show {@code chatleo%2Fv1}. */
  private String relativePath(HttpUrl url) {
    String base = baseUrl.encodedPath();
    if (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    String path = url.encodedPath();
    return path.startsWith(base + "/") ? path.substring(base.length()) : path;
  }

  private static String checkToken(String token) {
    if (token == null || token.isBlank()) {
      throw CdnpubException.usage("No Cloudflare API token was given: set " + TOKEN_VARIABLE + ".");
    }
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      if (c <= ' ' || c >= 0x7f) {
        throw CdnpubException.usage(
            String.format(
                    Locale.ROOT,
                    "The Cloudflare API token in %s contains whitespace or non-ASCII characters;",
                    TOKEN_VARIABLE)
                + " check for a stray newline.");
      }
    }
    return token;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  /** A prepared request, with its "METHOD /path" for messages. */
  private record Exchange(Request request, String target, Operation operation) {}

  /** One HTTP answer, read fully so that the connection can be released at once. */
  private record Answer(int status, String reason, String retryAfter, byte[] body) {
    boolean retryable() {
      return status == 429 || status >= 500;
    }

    Optional<ApiEnvelope> envelope() {
      try {
        return ApiEnvelope.from(JSON.readTree(body));
      } catch (IOException notJson) {
        // Proxies and load balancers answer errors in HTML; the caller falls back to the status
        // line.
        return Optional.empty();
      }
    }

    List<ApiError> explanation() {
      return envelope().map(ApiEnvelope::explanation).orElse(List.of());
    }
  }
}
