package dev.cdnpub.app;

import dev.cdnpub.cloudflare.CloudflareApi;
import java.util.function.Consumer;

/** Opens the Cloudflare REST API client. Passed in, so tests can shorten timeouts and waits. */
@FunctionalInterface
public interface ApiFactory {
  /**
   * @param notices receives a line before each long wait between retries (see {@link
   *     CloudflareApi#NOTICE_WAIT}); the CLI prints it on stderr through the redacting console
   */
  CloudflareApi open(String baseUrl, String token, Consumer<String> notices);

  /** cdnpub's client: the timeouts of {@link CloudflareApi#httpClient()}, the default retries. */
  ApiFactory DEFAULT = CloudflareApi::open;
}
