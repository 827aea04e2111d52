package dev.cdnpub.serve;

import java.util.Locale;
import java.util.Map;

/**
 * One request as it arrived: the method, the request target exactly as sent (one char per byte,
 * ISO-8859-1, so non-ASCII and invalid escapes are still there), and the headers by lower-case name
 * (repeated headers joined with ", "), and the {@code host:port} the connection came in on.
 */
public record HttpRequest(
    String method, String target, Map<String, String> headers, String localAddress) {
  public HttpRequest {
    headers = Map.copyOf(headers);
  }

  /** The header {@code name} (any case), or null. */
  public String header(String name) {
    return headers.get(name.toLowerCase(Locale.ROOT));
  }
}
