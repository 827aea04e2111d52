package dev.cdnpub.store;

import dev.cdnpub.core.CdnpubException;
import dev.cdnpub.core.ExitCode;
import dev.cdnpub.core.KeyRules;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.Provider;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;
import javax.net.ssl.SSLException;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsRequest;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

/**
 * Cloudflare R2 (or any S3-compatible store) through the AWS SDK for Java v2.
 *
 * <p>Every create is a conditional write ({@code If-None-Match: *}); a 412 or 409 answer means the
 * key is taken. Large bodies go up as multipart uploads whose CompleteMultipartUpload carries the
 * condition, so a losing upload is discarded by the server and never becomes visible.
 */
public final class S3ObjectStore implements ObjectStore {
  /** S3's smallest part (all parts but the last must be at least this large). */
  public static final long MIN_PART_SIZE = 5L * 1024 * 1024;

  /**
   * Connections the client may pool: as many as the most uploads a publish runs at once ({@code
   * --concurrency} goes up to 256), so no upload waits for a connection. The pool opens them only
   * as they are needed.
   */
  public static final int MAX_CONNECTIONS = 256;

  private static final int MAX_PARTS = 10_000;

  /** R2's region name for SigV4 (R2 has one, "auto"). */
  static final String REGION = "auto";

  /**
   * Heap, in MiB, that part buffers of multipart uploads may hold at once, across all uploads of
   * the process: a multipart upload holds one part buffer (16 MiB by default) for its whole run,
   * and waits for room here first. scripts/cdnpub runs the JVM with a bounded heap (-Xmx256m);
   * without this, 48 concurrent uploads of large files would need 48 buffers.
   */
  static final int PART_BUFFER_BUDGET_MIB = 64;

  private static final Semaphore PART_BUFFERS = new Semaphore(PART_BUFFER_BUDGET_MIB, true);

  /** MiB of the part-buffer budget not held by an upload right now (for tests). */
  static int availablePartBufferMib() {
    return PART_BUFFERS.availablePermits();
  }

  private final S3Client s3;
  private final String bucket;
  private final String endpoint;
  private final long multipartThreshold;
  private final long partSize;
  private final WireTimes wireTimes;
  private final DirectPut direct;
  private final SdkHttpClient http;

  public S3ObjectStore(
      S3Client s3, String bucket, String endpoint, long multipartThreshold, long partSize) {
    this(s3, bucket, endpoint, multipartThreshold, partSize, null, null, null);
  }

  /**
   * @param wireTimes the interceptor on {@code s3} that times its requests on the wire ({@link
   *     #forBucket} adds one); null: this store does not know its round trip
   * @param direct the first attempt of small writes without the S3 client's pipeline; null: every
   *     write goes through {@code s3}
   * @param http the HTTP client {@code s3} and {@code direct} share, closed with the store; null:
   *     {@code s3} owns its own
   */
  private S3ObjectStore(
      S3Client s3,
      String bucket,
      String endpoint,
      long multipartThreshold,
      long partSize,
      WireTimes wireTimes,
      DirectPut direct,
      SdkHttpClient http) {
    if (partSize < MIN_PART_SIZE) {
      throw new IllegalArgumentException("part size below 5 MiB");
    }
    this.s3 = s3;
    this.bucket = bucket;
    this.endpoint = endpoint;
    this.multipartThreshold = multipartThreshold;
    this.partSize = partSize;
    this.wireTimes = wireTimes;
    this.direct = direct;
    this.http = http;
  }

  /** Default part size of multipart uploads. */
  public static final long PART_SIZE = 16L * 1024 * 1024;

  /**
   * The store for an R2 bucket (or any S3-compatible one at {@code endpoint}) with cdnpub's client
   * settings ({@link #r2ClientBuilder}) and the given timeouts and retries.
   */
  public static S3ObjectStore forBucket(
      URI endpoint,
      String bucket,
      String accessKeyId,
      String secretAccessKey,
      S3ClientLimits limits,
      long multipartThreshold,
      Consumer<String> notices) {
    return forBucket(
        endpoint,
        bucket,
        accessKeyId,
        secretAccessKey,
        limits,
        multipartThreshold,
        notices,
        Clock.systemUTC());
  }

  /** As above; {@code clock} is the direct first attempts' signing clock (a test sets it off). */
  static S3ObjectStore forBucket(
      URI endpoint,
      String bucket,
      String accessKeyId,
      String secretAccessKey,
      S3ClientLimits limits,
      long multipartThreshold,
      Consumer<String> notices,
      Clock clock) {
    WireTimes wireTimes = new WireTimes();
    SdkHttpClient http = httpClient(endpoint, limits).build();
    S3ClientBuilder builder =
        r2ClientBuilder(endpoint, accessKeyId, secretAccessKey, limits, notices)
            .httpClientBuilder(null)
            .httpClient(http);
    builder.overrideConfiguration(
        builder.overrideConfiguration().toBuilder().addExecutionInterceptor(wireTimes).build());
    // The S3 client takes a write over after a failed direct attempt with the attempts left; with
    // a single attempt allowed there are none, and every write goes through the S3 client.
    DirectPut direct = null;
    if (limits.maxAttempts() >= 2) {
      RetryStrategy attemptsLeft = retryStrategy(limits, limits.maxAttempts() - 1, notices);
      direct =
          new DirectPut(
              http,
              endpoint,
              bucket,
              AwsCredentialsIdentity.create(accessKeyId, secretAccessKey),
              limits,
              config -> config.overrideConfiguration(c -> c.retryStrategy(attemptsLeft)),
              notices,
              clock,
              wireTimes);
    }
    return new S3ObjectStore(
        builder.build(),
        bucket,
        endpoint.toString(),
        multipartThreshold,
        Math.max(MIN_PART_SIZE, Math.min(PART_SIZE, multipartThreshold)),
        wireTimes,
        direct,
        http);
  }

  /**
   * {@link #r2Client}'s settings, for callers that add their own (a benchmark's request counter).
   * The builder's {@code overrideConfiguration(...)} replaces the whole override configuration, the
   * timeouts and retry strategy included: add to {@code
   * builder.overrideConfiguration().toBuilder()}.
   */
  public static S3ClientBuilder r2ClientBuilder(
      URI endpoint, String accessKeyId, String secretAccessKey) {
    return r2ClientBuilder(endpoint, accessKeyId, secretAccessKey, S3ClientLimits.DEFAULT);
  }

  /**
   * As {@link #r2ClientBuilder(URI, String, String)}, with the given timeouts and retries. The
   * retry strategy is set here, so {@code AWS_RETRY_MODE}, {@code AWS_MAX_ATTEMPTS} and AWS
   * profiles do not change it.
   */
  public static S3ClientBuilder r2ClientBuilder(
      URI endpoint, String accessKeyId, String secretAccessKey, S3ClientLimits limits) {
    return r2ClientBuilder(endpoint, accessKeyId, secretAccessKey, limits, notice -> {});
  }

  /**
   * As {@link #r2ClientBuilder(URI, String, String, S3ClientLimits)}; a wait before a retry of
   * {@link S3ClientLimits#noticeWait()} or more is announced through {@code notices}, and no wait
   * exceeds {@link S3ClientLimits#maxWait()}.
   */
  public static S3ClientBuilder r2ClientBuilder(
      URI endpoint,
      String accessKeyId,
      String secretAccessKey,
      S3ClientLimits limits,
      Consumer<String> notices) {
    return S3Client.builder()
        .endpointOverride(endpoint)
        .region(Region.of(REGION))
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(accessKeyId, secretAccessKey)))
        .serviceConfiguration(
            S3Configuration.builder()
                .pathStyleAccessEnabled(true)
                .chunkedEncodingEnabled(false)
                .build())
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .httpClientBuilder(httpClient(endpoint, limits))
        .overrideConfiguration(
            c ->
                c.apiCallAttemptTimeout(limits.attemptTimeout())
                    .apiCallTimeout(limits.callTimeout())
                    .retryStrategy(retryStrategy(limits, limits.maxAttempts(), notices)));
  }

  /**
   * The SDK's standard retry strategy with {@code attempts} attempts and {@code limits}' backoffs,
   * its long waits announced through {@code notices} and capped ({@link NoticingRetryStrategy}).
   */
  private static RetryStrategy retryStrategy(
      S3ClientLimits limits, int attempts, Consumer<String> notices) {
    return new NoticingRetryStrategy(
        AwsRetryStrategy.standardRetryStrategy().toBuilder()
            .maxAttempts(attempts)
            .backoffStrategy(limits.backoff(false))
            .throttlingBackoffStrategy(limits.backoff(true))
            .build(),
        limits.noticeWait(),
        limits.maxWait(),
        notices);
  }

  /**
   * The HTTP client: a connection per upload in flight, the given timeouts. For a plain-HTTP
   * endpoint (a store on this machine, a test server; R2 is HTTPS only) no TLS is set up: the
   * client would otherwise load the trust store and parse the public-suffix list for hostname
   * checks it never makes, ~90 ms of CPU while a publish waits for its first request.
   */
  private static Apache5HttpClient.Builder httpClient(URI endpoint, S3ClientLimits limits) {
    Apache5HttpClient.Builder http =
        Apache5HttpClient.builder()
            .maxConnections(MAX_CONNECTIONS)
            .connectionTimeout(limits.connectTimeout())
            .socketTimeout(limits.socketTimeout());
    if ("http".equalsIgnoreCase(endpoint.getScheme())) {
      http.tlsSocketStrategy(
          (socket, target, port, attachment, context) -> {
            throw new SSLException("no TLS to the plain-HTTP endpoint " + endpoint);
          });
    }
    return http;
  }

  @Override
  public boolean connectsOverTls() {
    return endpoint.regionMatches(true, 0, "https:", 0, 6);
  }

  @Override
  public OptionalLong roundTripMillis() {
    return wireTimes == null ? OptionalLong.empty() : wireTimes.shortestMillis();
  }

  @Override
  public CreateResult createIfAbsent(String key, Body body, ObjectMetadata metadata) {
    // The plan refuses such names before the claim; R2 must never get one.
    KeyRules.requireValid(key, "object key");
    if (body.size() > multipartThreshold) {
      return createMultipart(key, body, metadata);
    }
    long started = System.nanoTime();
    DirectPut.Outcome first = null;
    if (direct != null && DirectPut.takes(body)) {
      first = direct.attempt(key, body, metadata);
      if (first.succeeded()) {
        return first.result();
      }
    }
    PutObjectRequest request =
        PutObjectRequest.builder()
            .bucket(bucket)
            .key(key)
            .ifNoneMatch("*")
            .contentType(metadata.contentType())
            .cacheControl(metadata.cacheControl())
            .contentMD5(body.md5Base64())
            .contentLength(body.size())
            .metadata(metadata.userMetadata())
            .build();
    if (first != null) {
      request = direct.handOver(request, first, started);
    }
    RequestBody requestBody =
        body.inMemory() ? RequestBody.fromBytes(body.bytes()) : RequestBody.fromFile(body.file());
    try {
      s3.putObject(request, requestBody);
      return CreateResult.CREATED;
    } catch (S3Exception e) {
      if (isTaken(e)) {
        return CreateResult.ALREADY_EXISTS;
      }
      if (isBadDigest(e)) {
        // Content-MD5 comes from the plan: the server got other bytes than were planned.
        throw ObjectStore.bodyChanged(key, body);
      }
      throw translate("write " + key, e);
    } catch (SdkException e) {
      throw translate("write " + key, e);
    }
  }

  private static boolean isBadDigest(S3Exception e) {
    String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    return e.statusCode() == 400 && ("BadDigest".equals(code) || "InvalidDigest".equals(code));
  }

  private CreateResult createMultipart(String key, Body body, ObjectMetadata metadata) {
    // A cheap look first: re-running a publish must not re-send gigabytes only to learn at the end
    // that the object is there. The condition on Complete below is what makes it safe.
    if (stat(key).isPresent()) {
      return CreateResult.ALREADY_EXISTS;
    }
    long size = body.size();
    long thisPartSize = Math.max(partSize, (size + MAX_PARTS - 1) / MAX_PARTS);
    int bufferSize = (int) Math.min(thisPartSize, size);
    // Room for this upload's part buffer first, so that no upload is opened only to wait. A part
    // larger than the whole budget takes all of it (and runs alone).
    int permits =
        (int) Math.min(PART_BUFFER_BUDGET_MIB, Math.max(1, (bufferSize + (1L << 20) - 1) >> 20));
    PART_BUFFERS.acquireUninterruptibly(permits);
    try {
      return uploadParts(key, body, metadata, size, bufferSize);
    } finally {
      PART_BUFFERS.release(permits);
    }
  }

  private CreateResult uploadParts(
      String key, Body body, ObjectMetadata metadata, long size, int bufferSize) {
    String uploadId;
    try {
      uploadId =
          s3.createMultipartUpload(
                  CreateMultipartUploadRequest.builder()
                      .bucket(bucket)
                      .key(key)
                      .contentType(metadata.contentType())
                      .cacheControl(metadata.cacheControl())
                      .metadata(metadata.userMetadata())
                      .build())
              .uploadId();
    } catch (SdkException e) {
      throw translate("start a multipart upload of " + key, e);
    }
    boolean completed = false;
    try {
      List<CompletedPart> parts = new ArrayList<>();
      // Part MD5s are computed from the bytes read now, so they cannot tell a changed file; the
      // whole-object digest, checked before Complete, can. Each part is sent from the very buffer
      // its MD5 and the whole-object digest were computed from (no copy).
      // A multipart file is large: NSS's digests where the system has them (NativeCrypto).
      Optional<Provider> digests = Digests.providerFor(size);
      MessageDigest sha256 = Digests.digest("SHA-256", digests);
      byte[] buffer = new byte[bufferSize];
      try (InputStream in =
          body.inMemory()
              ? new ByteArrayInputStream(body.bytes())
              : Files.newInputStream(body.file())) {
        int partNumber = 1;
        long sent = 0;
        while (sent < size) {
          int length = in.readNBytes(buffer, 0, (int) Math.min(buffer.length, size - sent));
          if (length == 0) {
            throw ObjectStore.bodyChanged(key, body);
          }
          sha256.update(buffer, 0, length);
          String etag =
              s3.uploadPart(
                      UploadPartRequest.builder()
                          .bucket(bucket)
                          .key(key)
                          .uploadId(uploadId)
                          .partNumber(partNumber)
                          .contentLength((long) length)
                          .contentMD5(Digests.md5Base64(buffer, 0, length, digests))
                          .build(),
                      RequestBody.fromContentProvider(
                          () -> new ByteArrayInputStream(buffer, 0, length),
                          length,
                          "application/octet-stream"))
                  .eTag();
          parts.add(CompletedPart.builder().partNumber(partNumber).eTag(etag).build());
          sent += length;
          partNumber++;
        }
      }
      String expected = metadata.userMetadata().get("sha256");
      if (expected != null && !expected.equals(HexFormat.of().formatHex(sha256.digest()))) {
        throw ObjectStore.bodyChanged(key, body);
      }
      try {
        s3.completeMultipartUpload(
            CompleteMultipartUploadRequest.builder()
                .bucket(bucket)
                .key(key)
                .uploadId(uploadId)
                .ifNoneMatch("*")
                .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build())
                .build());
        completed = true;
        return CreateResult.CREATED;
      } catch (S3Exception e) {
        if (isTaken(e)) {
          return CreateResult.ALREADY_EXISTS;
        }
        throw translate("complete the multipart upload of " + key, e);
      }
    } catch (IOException e) {
      throw new CdnpubException(
          ExitCode.INTERNAL, "could not read " + body.file() + ": " + e.getMessage(), e);
    } catch (SdkException e) {
      throw translate("upload a part of " + key, e);
    } finally {
      if (!completed) {
        abortQuietly(key, uploadId);
      }
    }
  }

  private void abortQuietly(String key, String uploadId) {
    try {
      s3.abortMultipartUpload(
          AbortMultipartUploadRequest.builder().bucket(bucket).key(key).uploadId(uploadId).build());
    } catch (SdkException ignored) {
      // The upload is already discarded (R2 drops it on a 412) or expires by the bucket's
      // lifecycle;
      // either way nothing visible was written.
    }
  }

  @Override
  public Discarded abortInterruptedUploads(String prefix) {
    int aborted = 0;
    String keyMarker = null;
    String uploadIdMarker = null;
    try {
      while (true) {
        ListMultipartUploadsResponse page =
            s3.listMultipartUploads(
                ListMultipartUploadsRequest.builder()
                    .bucket(bucket)
                    .prefix(prefix)
                    .keyMarker(keyMarker)
                    .uploadIdMarker(uploadIdMarker)
                    .build());
        for (MultipartUpload upload : page.uploads()) {
          try {
            s3.abortMultipartUpload(
                AbortMultipartUploadRequest.builder()
                    .bucket(bucket)
                    .key(upload.key())
                    .uploadId(upload.uploadId())
                    .build());
            aborted++;
          } catch (S3Exception e) {
            if (e.statusCode() != 404) { // 404 NoSuchUpload: completed or aborted meanwhile
              throw e;
            }
          }
        }
        if (!Boolean.TRUE.equals(page.isTruncated())) {
          return Discarded.multipartUploads(aborted);
        }
        keyMarker = page.nextKeyMarker();
        uploadIdMarker = page.nextUploadIdMarker();
      }
    } catch (SdkException e) {
      throw translate("abort the multipart uploads left open under " + prefix, e);
    }
  }

  @Override
  public Optional<byte[]> read(String key) {
    try {
      return Optional.of(
          s3.getObjectAsBytes(GetObjectRequest.builder().bucket(bucket).key(key).build())
              .asByteArray());
    } catch (SdkException e) {
      return absentOrFail(key, e);
    }
  }

  @Override
  public <T> Optional<T> readStream(String key, StreamReader<T> reader) {
    try (ResponseInputStream<GetObjectResponse> in =
        s3.getObject(GetObjectRequest.builder().bucket(bucket).key(key).build())) {
      GetObjectResponse head = in.response();
      return Optional.of(
          reader.read(
              new ObjectInfo(
                  head.contentLength(),
                  head.contentType(),
                  head.cacheControl(),
                  head.metadata(),
                  head.eTag()),
              in));
    } catch (SdkException e) {
      return absentOrFail(key, e);
    } catch (IOException e) {
      throw new CdnpubException(
          ExitCode.REMOTE,
          "could not read " + key + " from " + endpoint + ": " + rootMessage(e),
          e);
    }
  }

  @Override
  public Optional<ObjectInfo> stat(String key) {
    try {
      HeadObjectResponse head =
          s3.headObject(HeadObjectRequest.builder().bucket(bucket).key(key).build());
      return Optional.of(
          new ObjectInfo(
              head.contentLength(),
              head.contentType(),
              head.cacheControl(),
              head.metadata(),
              head.eTag()));
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (S3Exception e) {
      // HEAD has no body, so a missing bucket and a missing key look alike; listing tells them
      // apart.
      if (e.statusCode() == 404) {
        return Optional.empty();
      }
      throw translate("look up " + key, e);
    } catch (SdkException e) {
      throw translate("look up " + key, e);
    }
  }

  @Override
  public List<String> list(String prefix) {
    try {
      List<String> keys = new ArrayList<>();
      for (S3Object object :
          s3.listObjectsV2Paginator(
                  ListObjectsV2Request.builder().bucket(bucket).prefix(prefix).build())
              .contents()) {
        keys.add(object.key());
      }
      keys.sort(null);
      return keys;
    } catch (SdkException e) {
      throw translate("list " + prefix, e);
    }
  }

  @Override
  public String describe() {
    return "R2 bucket " + bucket + " at " + endpoint;
  }

  @Override
  public void close() {
    s3.close();
    if (direct != null) {
      direct.close();
    }
    if (http != null) {
      http.close();
    }
  }

  private static boolean isTaken(S3Exception e) {
    return isTaken(e.statusCode());
  }

  /**
   * Whether an answer to a create-only write says the key is taken: 412 (the condition failed) or
   * 409 (a concurrent write of the key is in progress).
   */
  static boolean isTaken(int status) {
    return status == 412 || status == 409;
  }

  /**
   * A failed read: empty when the key is not there (a 404 that is not a missing bucket), else the
   * one error the read is reported as.
   */
  private <T> Optional<T> absentOrFail(String key, SdkException e) {
    if (e instanceof NoSuchKeyException
        || (e instanceof S3Exception s3 && s3.statusCode() == 404 && !isMissingBucket(s3))) {
      return Optional.empty();
    }
    throw translate("read " + key, e);
  }

  private static boolean isMissingBucket(S3Exception e) {
    return e.awsErrorDetails() != null && "NoSuchBucket".equals(e.awsErrorDetails().errorCode());
  }

  /** The one place where SDK failures become exit codes and sentences. */
  private CdnpubException translate(String action, SdkException e) {
    if (e instanceof S3Exception s3e) {
      int status = s3e.statusCode();
      String code = s3e.awsErrorDetails() == null ? null : s3e.awsErrorDetails().errorCode();
      String detail = "HTTP " + status + (code == null ? "" : " " + code);
      if (status == 401 || status == 403) {
        return new CdnpubException(
            ExitCode.AUTH,
            "R2 refused to "
                + action
                + " in bucket "
                + bucket
                + " ("
                + detail
                + "): check R2_ACCESS_KEY_ID and R2_SECRET_ACCESS_KEY and the token's access to the bucket.",
            e);
      }
      if (isMissingBucket(s3e)) {
        return new CdnpubException(
            ExitCode.NOT_FOUND, "bucket " + bucket + " does not exist at " + endpoint + ".", e);
      }
      return new CdnpubException(
          ExitCode.REMOTE, "R2 failed to " + action + " (" + detail + ") after retries.", e);
    }
    if (e instanceof SdkClientException) {
      return new CdnpubException(
          ExitCode.REMOTE,
          "could not reach " + endpoint + " to " + action + ": " + rootMessage(e),
          e);
    }
    return new CdnpubException(
        ExitCode.REMOTE, "R2 failed to " + action + ": " + rootMessage(e), e);
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }
}
