package dev.cdnpub.cli;

import dev.cdnpub.cloudflare.CloudflareApi;
import dev.cdnpub.cloudflare.RetryPolicy;
import dev.cdnpub.cloudflare.Sleeper;
import java.time.Duration;
import java.util.Random;
import okhttp3.OkHttpClient;

/** Opens the Cloudflare REST API client. Passed in, so tests can shorten the waits between retries. */
@FunctionalInterface
public interface ApiFactory {
  CloudflareApi open(String baseUrl, String token);

  ApiFactory DEFAULT =
      (baseUrl, token) ->
          new CloudflareApi(
              new OkHttpClient.Builder()
                  .connectTimeout(Duration.ofSeconds(10))
                  .readTimeout(Duration.ofSeconds(30))
                  .build(),
              baseUrl,
              token,
              RetryPolicy.defaults(),
              Sleeper.system(),
              new Random());
}
