package dev.cdnpub.serve;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The URL a Worker sees for a raw HTTP/1.1 request: workerd parses the request target with the
 * WHATWG URL parser before {@code request.url} reaches the script, and serve does the same part of
 * that parsing, so that the resolver port gets the text the Worker would get. Handled: {@code \}
 * read as {@code /} in the path; {@code .} and {@code ..} segments resolved, also when written
 * {@code %2e} in any case; bytes outside the URL's percent-encode sets (non-ASCII, controls, space,
 * quotes, {@code <>}, and in the path {@code `{}^}) written as {@code %XX}; existing escapes, even
 * invalid ones such as {@code %zz}, kept as sent; the host lower-cased and a default {@code :80}
 * dropped.
 */
public final class RequestUrl {
  private static final Pattern HOST =
      Pattern.compile(
          "([A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*|\\[[0-9A-Fa-f:.]+])(:[0-9]{1,5})?");

  private RequestUrl() {}

  /**
   * The origin ({@code http://host[:port]}) for a {@code Host} header, or null when it is not a
   * host name (labels of at most 63 characters, at most 253 in all) or address with an optional
   * port from 1 to 65535.
   */
  public static String origin(String hostHeader) {
    if (hostHeader == null || !HOST.matcher(hostHeader).matches()) {
      return null;
    }
    int colon = hostHeader.lastIndexOf(':');
    String name = hostHeader;
    if (colon >= 0 && hostHeader.indexOf(']', colon) < 0) {
      int port = Integer.parseInt(hostHeader.substring(colon + 1));
      if (port < 1 || port > 65535) {
        return null;
      }
      name = hostHeader.substring(0, colon);
    }
    if (name.length() > 253) {
      return null;
    }
    for (String label : name.split("\\.")) {
      if (label.length() > 63) {
        return null;
      }
    }
    String host = hostHeader.toLowerCase(Locale.ROOT);
    if (host.endsWith(":80")) {
      host = host.substring(0, host.length() - 3);
    }
    return "http://" + host;
  }

  /**
   * {@code origin} followed by the request target as the URL parser writes it, or null when the
   * target is not a path (origin form, starting with {@code /}).
   *
   * @param target the request target's bytes, one char per byte (ISO-8859-1)
   */
  public static String of(String origin, String target) {
    String t = target.replaceAll("[\\t\\n\\r]", "");
    if (t.isEmpty() || (t.charAt(0) != '/' && t.charAt(0) != '\\')) {
      return null;
    }
    String fragment = null;
    int hash = t.indexOf('#');
    if (hash >= 0) {
      fragment = t.substring(hash + 1);
      t = t.substring(0, hash);
    }
    String query = null;
    int question = t.indexOf('?');
    if (question >= 0) {
      query = t.substring(question + 1);
      t = t.substring(0, question);
    }
    StringBuilder url = new StringBuilder(origin).append(path(t));
    if (query != null) {
      url.append('?').append(encode(query, "\"#<>'"));
    }
    if (fragment != null) {
      url.append('#').append(encode(fragment, "\"<>`"));
    }
    return url.toString();
  }

  /** The path with dot segments resolved, as the WHATWG parser's path state leaves it. */
  private static String path(String raw) {
    String[] parts = raw.substring(1).split("[/\\\\]", -1);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < parts.length; i++) {
      boolean last = i == parts.length - 1;
      String lower = parts[i].toLowerCase(Locale.ROOT);
      if (lower.equals("..")
          || lower.equals(".%2e")
          || lower.equals("%2e.")
          || lower.equals("%2e%2e")) {
        if (!out.isEmpty()) {
          out.remove(out.size() - 1);
        }
        if (last) {
          out.add("");
        }
      } else if (lower.equals(".") || lower.equals("%2e")) {
        if (last) {
          out.add("");
        }
      } else {
        out.add(encode(parts[i], "\"#<>?`{}^"));
      }
    }
    return "/" + String.join("/", out);
  }

  /** Each byte that is a control, space, non-ASCII or in {@code extra}, as {@code %XX}. */
  private static String encode(String bytes, String extra) {
    StringBuilder out = new StringBuilder(bytes.length());
    for (int i = 0; i < bytes.length(); i++) {
      char c = bytes.charAt(i);
      if (c <= 0x20 || c >= 0x7F || extra.indexOf(c) >= 0) {
        out.append('%').append(String.format(Locale.ROOT, "%02X", (int) c & 0xFF));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
