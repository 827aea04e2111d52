package dev.cdnpub.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * An HTTP/1.1 client on a plain socket that writes the request line exactly as given (its UTF-8
 * bytes), so that targets an HTTP library would refuse or rewrite ({@code %zz}, raw non-ASCII,
 * {@code ..}, {@code \}) reach the server as sent. One request per connection; every read bounded.
 */
public final class RawHttp {
  private static final int TIMEOUT_MS = 5_000;

  private RawHttp() {}

  /** An answer: status, headers by lower-case name (repeats joined with ", "), body. */
  public record Response(int status, Map<String, String> headers, byte[] body) {
    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  public static Response send(int port, String method, String target, Map<String, String> headers)
      throws IOException {
    return send(port, method + " " + target + " HTTP/1.1", headers);
  }

  /** Sends {@code requestLine} and the headers ({@code Host} only if given), reads to the end. */
  public static Response send(int port, String requestLine, Map<String, String> headers)
      throws IOException {
    StringBuilder head = new StringBuilder(requestLine).append("\r\n");
    headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
    head.append("Connection: close\r\n\r\n");
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MS);
      socket.setSoTimeout(TIMEOUT_MS);
      OutputStream out = socket.getOutputStream();
      out.write(head.toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
      return parse(readAll(socket.getInputStream()));
    }
  }

  private static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    in.transferTo(all);
    return all.toByteArray();
  }

  private static Response parse(byte[] raw) {
    int end = -1;
    for (int i = 0; i + 3 < raw.length; i++) {
      if (raw[i] == '\r' && raw[i + 1] == '\n' && raw[i + 2] == '\r' && raw[i + 3] == '\n') {
        end = i;
        break;
      }
    }
    if (end < 0) {
      throw new IllegalStateException(
          "no complete answer: " + new String(raw, StandardCharsets.ISO_8859_1));
    }
    String[] lines = new String(raw, 0, end, StandardCharsets.UTF_8).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.merge(
          lines[i].substring(0, colon).toLowerCase(Locale.ROOT),
          lines[i].substring(colon + 1).strip(),
          (a, b) -> a + ", " + b);
    }
    return new Response(status, headers, Arrays.copyOfRange(raw, end + 4, raw.length));
  }
}
