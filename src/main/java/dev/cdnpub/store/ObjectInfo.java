package dev.cdnpub.store;

import java.util.Map;

/** What a store knows about one stored object. */
public record ObjectInfo(
    long size, String contentType, String cacheControl, Map<String, String> userMetadata) {
  public ObjectInfo {
    userMetadata = Map.copyOf(userMetadata);
  }
}
