package dev.cdnpub.serve;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One answer of {@code cdnpub serve}: status, headers in the order they are sent, and the body:
 * either {@code body} in memory (empty for none) or, for a file of any size, {@code streamed} (then
 * {@code body} is empty). Header names are compared without regard to case, as HTTP does.
 */
public record HttpResponse(
    int status, Map<String, String> headers, byte[] body, Streamed streamed) {
  /** A body written from elsewhere (the store) while it is sent, never held whole in memory. */
  public interface Streamed {
    /** The number of bytes {@link #writeTo} writes: the Content-Length. */
    long length();

    /**
     * Writes exactly {@link #length} bytes to {@code out}, or throws (a store failure as an
     * unchecked exception): the connection is then cut, so the client sees a short body.
     */
    void writeTo(OutputStream out) throws IOException;
  }

  public HttpResponse {
    headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    if (streamed != null && body.length > 0) {
      throw new IllegalArgumentException("a body in memory or a streamed one, not both");
    }
  }

  public HttpResponse(int status, Map<String, String> headers, byte[] body) {
    this(status, headers, body, null);
  }

  /** The Content-Length. */
  public long length() {
    return streamed != null ? streamed.length() : body.length;
  }

  /** Writes the body. */
  public void writeBodyTo(OutputStream out) throws IOException {
    if (streamed != null) {
      streamed.writeTo(out);
    } else {
      out.write(body);
    }
  }

  /** The value of header {@code name} (any case), or null. */
  public String header(String name) {
    for (Map.Entry<String, String> e : headers.entrySet()) {
      if (e.getKey().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
        return e.getValue();
      }
    }
    return null;
  }

  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }
}
