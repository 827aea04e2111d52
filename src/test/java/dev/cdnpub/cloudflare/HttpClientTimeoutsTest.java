package dev.cdnpub.cloudflare;

import static org.junit.jupiter.api.Assertions.assertEquals;

import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

/** The Cloudflare API client's timeouts are the documented ones (docs/publish.md). */
class HttpClientTimeoutsTest {
  @Test
  void http_hasConnectReadWriteAndCallTimeouts() {
    OkHttpClient http = CloudflareApi.httpClient().build();
    assertEquals(10_000, http.connectTimeoutMillis());
    assertEquals(30_000, http.readTimeoutMillis());
    assertEquals(30_000, http.writeTimeoutMillis());
    assertEquals(
        60_000, http.callTimeoutMillis(), "without it, a trickling answer could last forever");
  }
}
