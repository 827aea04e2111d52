package dev.cdnpub.cli;

import dev.cdnpub.cloudflare.CloudflareApi;
import dev.cdnpub.cloudflare.RetryPolicy;
import dev.cdnpub.cloudflare.Sleeper;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Random;
import java.util.function.Consumer;
import okhttp3.OkHttpClient;

/** Opens the Cloudflare REST API client. Passed in, so tests can shorten timeouts and waits. */
@FunctionalInterface
public interface ApiFactory {
  /**
   * @param notices receives a line before each long wait between retries (see {@link
   *     CloudflareApi#NOTICE_WAIT}); the CLI prints it on stderr through the redacting console
   */
  CloudflareApi open(String baseUrl, String token, Consumer<String> notices);

  /**
   * The HTTP client of every Cloudflare API call: connect 10 s, read 30 s (longest silence while
   * reading), write 30 s (longest stall while sending), and 60 s for a whole request, so no
   * attempt can hang; {@link RetryPolicy#defaults()} bounds the attempts and waits around it.
   */
  static OkHttpClient.Builder http() {
    return new OkHttpClient.Builder()
        .connectTimeout(Duration.ofSeconds(10))
        .readTimeout(Duration.ofSeconds(30))
        .writeTimeout(Duration.ofSeconds(30))
        .callTimeout(Duration.ofSeconds(60));
  }

  ApiFactory DEFAULT =
      (baseUrl, token, notices) ->
          new CloudflareApi(
              http().build(),
              baseUrl,
              token,
              RetryPolicy.defaults(),
              Sleeper.system(),
              new Random(),
              InstantSource.system(),
              notices);
}
