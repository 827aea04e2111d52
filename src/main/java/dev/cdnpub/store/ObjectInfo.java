package dev.cdnpub.store;

import java.util.Map;

/**
 * What a store knows about one stored object.
 *
 * @param eTag the store's own entity tag, quoted, as R2 gives it (S3/R2), or null (the local store
 *     has none)
 */
public record ObjectInfo(
    long size,
    String contentType,
    String cacheControl,
    Map<String, String> userMetadata,
    String eTag) {
  public ObjectInfo {
    userMetadata = Map.copyOf(userMetadata);
  }

  public ObjectInfo(
      long size, String contentType, String cacheControl, Map<String, String> userMetadata) {
    this(size, contentType, cacheControl, userMetadata, null);
  }
}
