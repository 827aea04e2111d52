package dev.cdnpub.verify;

import dev.cdnpub.core.CdnpubException;
import dev.cdnpub.core.ExitCode;
import dev.cdnpub.store.ObjectInfo;
import dev.cdnpub.store.ObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/** {@link PublicSite} over OkHttp. */
public final class OkHttpPublicSite implements PublicSite {
  private final OkHttpClient http;
  private final HttpUrl base;

  /**
   * @param http its timeouts bound every request; redirects are turned off here
   * @param baseUrl an http(s) URL, already checked by the settings
   */
  public OkHttpPublicSite(OkHttpClient http, String baseUrl) {
    this.base = HttpUrl.parse(baseUrl);
    if (base == null) {
      throw CdnpubException.usage("the CDN's base URL " + baseUrl + " is not an http(s) URL.");
    }
    this.http = http.newBuilder().followRedirects(false).followSslRedirects(false).build();
  }

  @Override
  public String url(String path) {
    return base.newBuilder().addPathSegments(path).build().toString();
  }

  @Override
  public <T> Answer<T> get(String path, ObjectStore.StreamReader<T> reader) {
    HttpUrl url = base.newBuilder().addPathSegments(path).build();
    try (Response response = http.newCall(new Request.Builder().url(url).get().build()).execute()) {
      int status = response.code();
      if (status >= 500) {
        throw new CdnpubException(
            ExitCode.REMOTE, url + " answered HTTP " + status + "; try again later.");
      }
      String location = response.header("Location");
      HttpUrl resolved = location == null ? null : url.resolve(location);
      String target = resolved == null ? location : resolved.toString();
      if (status != 200) {
        return new Answer<>(url.toString(), status, target, null);
      }
      ObjectInfo info =
          new ObjectInfo(
              response.body().contentLength(),
              response.header("Content-Type"),
              response.header("Cache-Control"),
              Map.of());
      try (InputStream in = response.body().byteStream()) {
        return new Answer<>(url.toString(), status, target, reader.read(info, in));
      }
    } catch (IOException e) {
      throw new CdnpubException(
          ExitCode.REMOTE, "could not read " + url + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }
}
