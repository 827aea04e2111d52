package dev.cdnpub.bench;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Counts the HTTP requests the S3 client sends, by operation (every attempt, retries included), and
 * the answers that were not 2xx as "Operation status" (e.g. "GetObject 404", "PutObject 412").
 */
final class HttpCounter implements ExecutionInterceptor {
  /** R2's Class A operations (developers.cloudflare.com/r2/pricing) that the S3 API can send. */
  static final Set<String> CLASS_A =
      Set.of(
          "ListBuckets",
          "CreateBucket",
          "ListObjects",
          "ListObjectsV2",
          "PutObject",
          "CopyObject",
          "CompleteMultipartUpload",
          "CreateMultipartUpload",
          "ListMultipartUploads",
          "UploadPart",
          "UploadPartCopy",
          "ListParts",
          "PutBucketEncryption",
          "PutBucketCors",
          "PutBucketLifecycleConfiguration");

  /** R2's Class B operations that the S3 API can send. */
  static final Set<String> CLASS_B =
      Set.of(
          "HeadBucket",
          "HeadObject",
          "GetObject",
          "GetBucketEncryption",
          "GetBucketLocation",
          "GetBucketCors",
          "GetBucketLifecycleConfiguration");

  private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

  @Override
  public void beforeTransmission(
      Context.BeforeTransmission context, ExecutionAttributes attributes) {
    add(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
  }

  @Override
  public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
    int status = context.httpResponse().statusCode();
    if (status < 200 || status > 299) {
      add(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME) + " " + status);
    }
  }

  private void add(String key) {
    counts.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
  }

  /** Requests by operation (plus "Operation status" entries for non-2xx answers), then zero. */
  synchronized Map<String, Integer> snapshotAndReset() {
    Map<String, Integer> out = new TreeMap<>();
    counts.forEach(
        (k, v) -> {
          int n = v.getAndSet(0);
          if (n > 0) {
            out.put(k, n);
          }
        });
    return out;
  }

  /** Requests of R2's class A, class B, or neither ("other"), from a snapshot. */
  static Map<String, Integer> classes(Map<String, Integer> snapshot) {
    Map<String, Integer> out = new TreeMap<>(Map.of("A", 0, "B", 0, "other", 0));
    snapshot.forEach(
        (op, n) -> {
          if (op.contains(" ")) {
            return; // a status entry, already counted under its operation
          }
          String cls = CLASS_A.contains(op) ? "A" : CLASS_B.contains(op) ? "B" : "other";
          out.merge(cls, n, Integer::sum);
        });
    return out;
  }
}
