package dev.cdnpub.store;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import software.amazon.awssdk.awscore.endpoints.AwsEndpointAttribute;
import software.amazon.awssdk.awscore.endpoints.authscheme.EndpointAuthScheme;
import software.amazon.awssdk.awscore.endpoints.authscheme.SigV4AuthScheme;
import software.amazon.awssdk.core.SdkPlugin;
import software.amazon.awssdk.endpoints.Endpoint;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.endpoints.S3EndpointParams;
import software.amazon.awssdk.services.s3.endpoints.S3EndpointProvider;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

/**
 * The first attempt of a small object's create-only PUT, without the S3 client's request pipeline:
 * the request the S3 client would send (the same URL, headers and SigV4 signature, by the SDK's
 * signer), sent on the S3 client's own HTTP client and connection pool. A publish is mostly such
 * writes, and the pipeline's interceptors, endpoint rules, marshalling and response handling cost
 * more CPU than the request itself: 1.9 against 1.0 ms per write in a cold JVM under C1, 0.86
 * against 0.42 ms warm (measured on this project's 2-core machine, against S3Proxy).
 *
 * <p>Only a success or a "taken" answer ends the write here. Anything else, an error answer or a
 * failure on the network, hands the write to the S3 client after the wait its retry strategy makes
 * after a first failure, with the attempts and the time that are left ({@link #handOver}): its
 * retries, {@code Retry-After}, clock-skew correction, error parsing and exceptions stay the SDK's.
 * Like the S3 client, a direct attempt learns from a refused answer's {@code Date} how far this
 * machine's clock is off, and signs the next ones with the store's time. Bodies of 1 MiB or more
 * always go through the S3 client, which sends them with {@code Expect: 100-continue}.
 */
final class DirectPut implements AutoCloseable {
  /** Bodies this large or larger go through the S3 client (its {@code Expect: 100-continue}). */
  static final long SMALLER_THAN = 1L << 20;

  private static final int ERROR_BODY_BYTES = 64 * 1024;

  /** Who sends the direct requests (the S3 client's say "aws-sdk-java/..."). */
  static final String USER_AGENT =
      "cdnpub/"
          + Objects.requireNonNullElse(
              DirectPut.class.getPackage().getImplementationVersion(), "dev");

  /**
   * A clock off by more than this from the store's is corrected (the SDK's threshold; S3 refuses a
   * signature more than 15 minutes off).
   */
  static final Duration SKEW_TOLERANCE = Duration.ofMinutes(4);

  private final SdkHttpClient http;
  private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();
  private final AwsCredentialsIdentity credentials;
  private final URI bucketUrl;
  private final SigV4AuthScheme scheme;
  private final boolean signPayload;
  private final S3ClientLimits limits;
  private final SdkPlugin remainingAttempts;
  private final Consumer<String> notices;
  private final Clock clock;

  /** How far the store's clock is ahead of {@code clock}, in seconds (0 until an answer said). */
  private final AtomicLong skewSeconds = new AtomicLong();

  private final WireTimes wireTimes;
  private final ScheduledThreadPoolExecutor timer;

  /**
   * How a direct attempt ended: with the write's result, or failed, with the answer's status (0:
   * none came, {@code failure} says why) and the wait its {@code Retry-After} asked for (zero:
   * none).
   */
  record Outcome(CreateResult result, int status, String failure, Duration retryAfter) {
    static Outcome done(CreateResult result) {
      return new Outcome(result, 0, null, Duration.ZERO);
    }

    boolean succeeded() {
      return result != null;
    }

    /** A throttling answer: 429, or 503 (S3's SlowDown). */
    boolean throttled() {
      return status == 429 || status == 503;
    }

    /** What went wrong, for a notice: never a message that could carry a URL or a credential. */
    String what() {
      return NoticingRetryStrategy.what(status, failure);
    }
  }

  /**
   * @param remainingAttempts the plugin that gives the S3 client's request after a failed direct
   *     attempt one attempt fewer than {@code limits} allow
   * @param notices where a long wait before the S3 client takes over is announced
   */
  DirectPut(
      SdkHttpClient http,
      URI endpoint,
      String bucket,
      AwsCredentialsIdentity credentials,
      S3ClientLimits limits,
      SdkPlugin remainingAttempts,
      Consumer<String> notices,
      Clock clock,
      WireTimes wireTimes) {
    this.http = http;
    this.credentials = credentials;
    this.limits = limits;
    this.remainingAttempts = remainingAttempts;
    this.notices = notices;
    this.clock = clock;
    this.wireTimes = wireTimes;
    // The SDK's own endpoint rules, once: the bucket's URL and how to sign for it.
    Endpoint resolved =
        S3EndpointProvider.defaultProvider()
            .resolveEndpoint(
                S3EndpointParams.builder()
                    .bucket(bucket)
                    .region(Region.of(S3ObjectStore.REGION))
                    .endpoint(endpoint.toString())
                    .forcePathStyle(true)
                    .build())
            .join();
    this.bucketUrl = resolved.url();
    this.scheme = sigV4(resolved.attribute(AwsEndpointAttribute.AUTH_SCHEMES));
    // As the S3 client does: the body's SHA-256 is signed over plain HTTP; over HTTPS TLS protects
    // it and the signature says UNSIGNED-PAYLOAD.
    this.signPayload = !"https".equalsIgnoreCase(bucketUrl.getScheme());
    this.timer = new ScheduledThreadPoolExecutor(1, DirectPut::timerThread);
    timer.setRemoveOnCancelPolicy(true);
  }

  private static Thread timerThread(Runnable r) {
    Thread t = new Thread(r, "cdnpub-attempt-timer");
    t.setDaemon(true);
    return t;
  }

  private static SigV4AuthScheme sigV4(List<EndpointAuthScheme> schemes) {
    for (EndpointAuthScheme s : schemes == null ? List.<EndpointAuthScheme>of() : schemes) {
      if (s instanceof SigV4AuthScheme v4) {
        return v4;
      }
    }
    throw new IllegalStateException("the S3 endpoint rules named no SigV4 signing: " + schemes);
  }

  /** Whether a body goes direct: a small one, without {@code Expect: 100-continue}. */
  static boolean takes(Body body) {
    return body.size() < SMALLER_THAN;
  }

  /**
   * One attempt to create {@code key}. Never throws for an answer or a network failure: those come
   * back as a failed {@link Outcome} for {@link #handOver}.
   */
  Outcome attempt(String key, Body body, ObjectMetadata metadata) {
    try (Payload payload = new Payload(body)) {
      return send(sign(key, body, metadata, payload));
    } catch (RuntimeException e) {
      // A body that cannot be read, a client shut down: the S3 client's attempt reports it.
      return new Outcome(null, 0, e.getClass().getSimpleName(), Duration.ZERO);
    }
  }

  /**
   * The signed request for {@code key}, as the S3 client would send it (without its bookkeeping).
   */
  SignedRequest sign(String key, Body body, ObjectMetadata metadata) {
    try (Payload payload = new Payload(body)) {
      return sign(key, body, metadata, payload);
    }
  }

  private SignedRequest sign(String key, Body body, ObjectMetadata metadata, Payload payload) {
    SdkHttpFullRequest.Builder request =
        SdkHttpFullRequest.builder()
            .method(SdkHttpMethod.PUT)
            .uri(bucketUrl)
            .encodedPath(bucketUrl.getRawPath() + "/" + SdkHttpUtils.urlEncodeIgnoreSlashes(key))
            .putHeader("If-None-Match", "*")
            .putHeader(
                "Content-Type",
                metadata.contentType() == null
                    ? "application/octet-stream"
                    : metadata.contentType())
            .putHeader("Content-MD5", body.md5Base64())
            .putHeader("Content-Length", Long.toString(body.size()))
            .putHeader("User-Agent", USER_AGENT);
    if (metadata.cacheControl() != null) {
      request.putHeader("Cache-Control", metadata.cacheControl());
    }
    for (Map.Entry<String, String> m : metadata.userMetadata().entrySet()) {
      request.putHeader("x-amz-meta-" + m.getKey(), m.getValue());
    }
    SdkHttpFullRequest unsigned = request.build();
    return signer.sign(
        r ->
            r.identity(credentials)
                .request(unsigned)
                .payload(payload)
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, scheme.signingName())
                .putProperty(AwsV4HttpSigner.REGION_NAME, scheme.signingRegion())
                .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, !scheme.disableDoubleEncoding())
                .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, false)
                .putProperty(AwsV4HttpSigner.CHUNK_ENCODING_ENABLED, false)
                .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, signPayload)
                .putProperty(
                    HttpSigner.SIGNING_CLOCK,
                    Clock.offset(clock, Duration.ofSeconds(skewSeconds.get()))));
  }

  private Outcome send(SignedRequest signed) {
    ExecutableHttpRequest call =
        http.prepareRequest(
            HttpExecuteRequest.builder()
                .request(signed.request())
                .contentStreamProvider(signed.payload().orElseThrow())
                .build());
    // A body the server stops reading blocks the write, which the socket timeout does not cover.
    ScheduledFuture<?> stop =
        timer.schedule(call::abort, limits.attemptTimeout().toNanos(), TimeUnit.NANOSECONDS);
    long sent = System.nanoTime();
    try {
      HttpExecuteResponse response = call.call();
      wireTimes.record(System.nanoTime() - sent);
      SdkHttpResponse head = response.httpResponse();
      int status = head.statusCode();
      CreateResult result =
          status / 100 == 2
              ? CreateResult.CREATED
              : S3ObjectStore.isTaken(status) ? CreateResult.ALREADY_EXISTS : null;
      try {
        drain(response);
      } catch (IOException e) {
        if (result == null) {
          throw e;
        }
        // The answer is known; the client discards a connection whose body it could not read.
      }
      if (result != null) {
        return Outcome.done(result);
      }
      if (status == 401 || status == 403) {
        head.firstMatchingHeader("Date").ifPresent(this::learnSkew);
      }
      return new Outcome(null, status, null, retryAfter(head));
    } catch (IOException e) {
      return new Outcome(null, 0, e.getClass().getSimpleName(), Duration.ZERO);
    } finally {
      stop.cancel(false);
    }
  }

  /** A {@code Retry-After} of a number of seconds (the form S3 and R2 send), else zero. */
  private static Duration retryAfter(SdkHttpResponse head) {
    try {
      return head.firstMatchingHeader("Retry-After")
          .map(v -> Duration.ofSeconds(Math.max(0, Long.parseLong(v.trim()))))
          .orElse(Duration.ZERO);
    } catch (NumberFormatException e) {
      return Duration.ZERO;
    }
  }

  /**
   * A refusal's (401, 403) {@code Date}: when the store's time is more than {@link #SKEW_TOLERANCE}
   * from this machine's, later attempts sign with the store's; within it, with this machine's
   * again. (The S3 client, which takes the refused write over, corrects its own signing time the
   * same way.)
   */
  private void learnSkew(String httpDate) {
    Instant server;
    try {
      server = ZonedDateTime.parse(httpDate, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      return;
    }
    Duration skew = Duration.between(clock.instant(), server);
    skewSeconds.set(skew.abs().compareTo(SKEW_TOLERANCE) > 0 ? skew.getSeconds() : 0);
  }

  /**
   * The body for the signer (over plain HTTP it reads it for its SHA-256) and then the HTTP client:
   * a file is opened for each, each stream closed when the next is opened or the attempt ends.
   */
  private static final class Payload implements ContentStreamProvider, AutoCloseable {
    private final Body body;
    private InputStream open;

    Payload(Body body) {
      this.body = body;
    }

    @Override
    public InputStream newStream() {
      close();
      if (body.inMemory()) {
        return new ByteArrayInputStream(body.bytes());
      }
      try {
        open = Files.newInputStream(body.file());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return open;
    }

    @Override
    public void close() {
      if (open != null) {
        try {
          open.close();
        } catch (IOException ignored) {
          // a file opened for reading: nothing was written that closing could lose
        }
        open = null;
      }
    }
  }

  /** Reads a (small) answer's body to its end, so that its connection goes back to the pool. */
  private static void drain(HttpExecuteResponse response) throws IOException {
    if (response.responseBody().isPresent()) {
      try (InputStream in = response.responseBody().get()) {
        in.readNBytes(ERROR_BODY_BYTES);
      }
    }
  }

  /**
   * What the S3 client's request for the write gets after a failed direct attempt: one attempt
   * fewer and what is left of the operation's time. Waits first as the S3 client's retry strategy
   * waits after a first failure: full jitter up to the backoff base (the throttling base after a
   * 429 or 503), or longer when the answer's {@code Retry-After} asks, up to {@link
   * S3ClientLimits#maxWait()}; a wait of {@link S3ClientLimits#noticeWait()} or more is announced.
   * An interrupt ends the wait and stays set, so that the S3 client's call ends at once.
   */
  PutObjectRequest handOver(PutObjectRequest request, Outcome failed, long startedNanos) {
    // The SDK's first retry asks its backoff for attempt 2 (attempt 1 waits nothing).
    Duration wait = limits.backoff(failed.throttled()).computeDelay(2);
    if (failed.retryAfter().compareTo(wait) > 0) {
      wait = failed.retryAfter();
    }
    if (wait.compareTo(limits.maxWait()) > 0) {
      wait = limits.maxWait();
    }
    if (wait.compareTo(limits.noticeWait()) >= 0) {
      notices.accept(NoticingRetryStrategy.notice(failed.what(), wait));
    }
    try {
      Thread.sleep(wait.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Duration left = limits.callTimeout().minusNanos(System.nanoTime() - startedNanos);
    Duration remaining = left.compareTo(Duration.ofMillis(1)) < 0 ? Duration.ofMillis(1) : left;
    return request.toBuilder()
        .overrideConfiguration(c -> c.addPlugin(remainingAttempts).apiCallTimeout(remaining))
        .build();
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
