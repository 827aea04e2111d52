package dev.cdnpub.cloudflare;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;

/**
 * Purges URLs from Cloudflare's edge cache ({@code POST /zones/{zone}/purge_cache}), in batches of
 * at most {@link #DEFAULT_BATCH_SIZE} URLs (the limit of the Free, Pro and Business plans). Purging
 * reaches the edge only; browsers keep what they cached until its max-age ends.
 *
 * <p>Batches are sent one after another; if one fails, the earlier ones stay purged and the {@link
 * CloudflareApiException} (exit code as described on {@link CloudflareApi}; a token without "Cache
 * Purge" is {@link dev.cdnpub.core.ExitCode#AUTH}) says how many URLs were purged before it. Safe
 * to share across threads.
 */
public final class CachePurgeClient {
  public static final int DEFAULT_BATCH_SIZE = 100;

  private final CloudflareApi api;
  private final int batchSize;

  public CachePurgeClient(CloudflareApi api) {
    this(api, DEFAULT_BATCH_SIZE);
  }

  /**
   * @param batchSize URLs per request; Enterprise zones allow up to 500
   */
  public CachePurgeClient(CloudflareApi api, int batchSize) {
    this.api = Objects.requireNonNull(api, "api");
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be at least 1, was " + batchSize);
    }
    this.batchSize = batchSize;
  }

  /** Purges every URL in {@code urls}, in order; sends nothing for an empty list. */
  public void purgeCache(String zoneId, List<String> urls) {
    Operation operation = new Operation("purge the zone's cache", "Cache Purge");
    for (int from = 0; from < urls.size(); from += batchSize) {
      List<String> batch = urls.subList(from, Math.min(from + batchSize, urls.size()));
      ObjectNode json = JsonNodeFactory.instance.objectNode();
      ArrayNode files = json.putArray("files");
      batch.forEach(files::add);
      try {
        api.call(ApiRequest.of("POST", operation, "zones", zoneId, "purge_cache").withJson(json));
      } catch (CloudflareApiException e) {
        if (from == 0) {
          throw e;
        }
        throw new CloudflareApiException(
            e.exitCode(),
            "Purged " + from + " of " + urls.size() + " URLs, then: " + e.getMessage(),
            e.httpStatus(),
            e.errors(),
            e);
      }
    }
  }
}
