package dev.cdnpub.serve;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One answer of {@code cdnpub serve}: status, headers in the order they are sent, and the body
 * (empty for none). Header names are compared without regard to case, as HTTP does.
 */
public record HttpResponse(int status, Map<String, String> headers, byte[] body) {
  public HttpResponse {
    headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
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
