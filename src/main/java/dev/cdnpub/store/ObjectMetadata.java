package dev.cdnpub.store;

import java.util.Map;

/**
 * HTTP metadata stored with an object. {@code userMetadata} keys are lower case and become {@code
 * x-amz-meta-*} headers on S3; cdnpub stores {@code sha256} there so that a resumed publish can
 * tell its own earlier upload from foreign content without downloading it.
 */
public record ObjectMetadata(
    String contentType, String cacheControl, Map<String, String> userMetadata) {
  public ObjectMetadata {
    userMetadata = Map.copyOf(userMetadata);
  }

  /** cdnpub's own records (claims, manifests, yank records, alias entries): JSON, never cached. */
  public static final ObjectMetadata RECORD =
      new ObjectMetadata("application/json; charset=utf-8", "no-store", Map.of());
}
