package dev.cdnpub.store;

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
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
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
  private final Clock clock;

  /** How far the store's clock is ahead of {@code clock}, in seconds (0 until an answer said). */
  private final AtomicLong skewSeconds = new AtomicLong();

  private final WireTimes wireTimes;
  private final ScheduledThreadPoolExecutor timer;

  /** How a direct attempt ended: with the write's result, or failed (then maybe throttled). */
  record Outcome(CreateResult result, boolean throttled) {
    boolean succeeded() {
      return result != null;
    }
  }

  /**
   * @param remainingAttempts the plugin that gives the S3 client's request after a failed direct
   *     attempt one attempt fewer than {@code limits} allow
   */
  DirectPut(
      SdkHttpClient http,
      URI endpoint,
      String bucket,
      AwsCredentialsIdentity credentials,
      S3ClientLimits limits,
      SdkPlugin remainingAttempts,
      Clock clock,
      WireTimes wireTimes) {
    this.http = http;
    this.credentials = credentials;
    this.limits = limits;
    this.remainingAttempts = remainingAttempts;
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
    return send(sign(key, body, metadata));
  }

  /**
   * The signed request for {@code key}, as the S3 client would send it (without its bookkeeping).
   */
  SignedRequest sign(String key, Body body, ObjectMetadata metadata) {
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
            .putHeader("Content-Length", Long.toString(body.size()));
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
                .payload(payload(body))
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
      int status = response.httpResponse().statusCode();
      drain(response);
      if (status / 100 == 2) {
        return new Outcome(CreateResult.CREATED, false);
      }
      if (status == 412 || status == 409) {
        return new Outcome(CreateResult.ALREADY_EXISTS, false);
      }
      response.httpResponse().firstMatchingHeader("Date").ifPresent(this::learnSkew);
      return new Outcome(null, status == 429 || status == 503);
    } catch (IOException | UncheckedIOException e) {
      return new Outcome(null, false);
    } finally {
      stop.cancel(false);
    }
  }

  /**
   * A refused answer's {@code Date}: when the store's time is more than {@link #SKEW_TOLERANCE}
   * from this machine's, later attempts sign with the store's. (The S3 client, which takes this
   * write over, corrects its own signing time the same way.)
   */
  private void learnSkew(String httpDate) {
    Instant server;
    try {
      server = ZonedDateTime.parse(httpDate, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      return;
    }
    Duration skew = Duration.between(clock.instant(), server);
    if (skew.abs().compareTo(SKEW_TOLERANCE) > 0) {
      skewSeconds.set(skew.getSeconds());
    }
  }

  private static ContentStreamProvider payload(Body body) {
    if (body.inMemory()) {
      return ContentStreamProvider.fromByteArrayUnsafe(body.bytes());
    }
    return () -> {
      try {
        return Files.newInputStream(body.file());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    };
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
   * fewer and what is left of the operation's time. Waits first as the retry strategy waits after a
   * first failure (full jitter up to the backoff base, or the throttling base after a 429 or 503).
   * An interrupt ends the wait and stays set, so that the S3 client's call ends at once.
   */
  PutObjectRequest handOver(PutObjectRequest request, Outcome failed, long startedNanos) {
    Duration base = failed.throttled() ? limits.throttlingBackoffBase() : limits.backoffBase();
    Duration wait =
        BackoffStrategy.exponentialDelay(base, S3ClientLimits.MAX_BACKOFF).computeDelay(1);
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
