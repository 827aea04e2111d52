package dev.cdnpub.startup;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Just enough of the S3 API (path-style PUT with {@code If-None-Match: *}, GET, HEAD,
 * ListObjectsV2, ListMultipartUploads) and of the Workers KV REST API, in memory on 127.0.0.1, for
 * {@link ClassArchiveTraining} to run cdnpub's real commands end to end. Not a test double for
 * anything else: no signatures checked, no multipart uploads, one bucket.
 */
final class TrainingServer implements AutoCloseable {
  private record StoredObject(byte[] body, Map<String, String> headers) {}

  private final HttpServer server;
  private final ExecutorService pool =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "training-server");
            t.setDaemon(true);
            return t;
          });
  private final NavigableMap<String, StoredObject> objects = new ConcurrentSkipListMap<>();
  private final Map<String, byte[]> kv = new ConcurrentHashMap<>();

  TrainingServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.setExecutor(pool);
    server.createContext("/", this::handle);
    server.start();
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getRawPath();
      byte[] body = ex.getRequestBody().readAllBytes();
      if (path.startsWith("/client/v4/")) {
        kv(ex, path, body);
        return;
      }
      String rest = path.substring(1);
      int slash = rest.indexOf('/');
      String key =
          slash < 0
              ? ""
              : URLDecoder.decode(
                  rest.substring(slash + 1).replace("+", "%2B"), StandardCharsets.UTF_8);
      Map<String, String> query = query(ex.getRequestURI().getRawQuery());
      String method = ex.getRequestMethod();
      if (key.isEmpty() && method.equals("GET")) {
        send(
            ex,
            200,
            query.containsKey("uploads") ? noUploads() : list(query.getOrDefault("prefix", "")),
            "application/xml");
      } else if (method.equals("PUT")) {
        Map<String, String> headers = new HashMap<>();
        ex.getRequestHeaders()
            .forEach(
                (name, values) -> {
                  String n = name.toLowerCase(Locale.ROOT);
                  if (n.startsWith("x-amz-meta-")
                      || n.equals("content-type")
                      || n.equals("cache-control")) {
                    headers.put(n, values.get(0));
                  }
                });
        StoredObject created = new StoredObject(body, headers);
        if ("*".equals(ex.getRequestHeaders().getFirst("If-None-Match"))) {
          if (objects.putIfAbsent(key, created) != null) {
            error(ex, 412, "PreconditionFailed");
            return;
          }
        } else {
          objects.put(key, created);
        }
        ex.getResponseHeaders()
            .set("ETag", "\"" + Integer.toHexString(Arrays.hashCode(body)) + "\"");
        ex.sendResponseHeaders(200, -1);
      } else {
        StoredObject o = objects.get(key);
        if (o == null) {
          if (method.equals("HEAD")) {
            ex.sendResponseHeaders(404, -1);
          } else {
            error(ex, 404, "NoSuchKey");
          }
          return;
        }
        o.headers.forEach((n, v) -> ex.getResponseHeaders().set(n, v));
        ex.getResponseHeaders()
            .set("ETag", "\"" + Integer.toHexString(Arrays.hashCode(o.body)) + "\"");
        if (method.equals("HEAD")) {
          ex.getResponseHeaders().set("Content-Length", Integer.toString(o.body.length));
          ex.sendResponseHeaders(200, -1);
        } else {
          ex.sendResponseHeaders(200, o.body.length == 0 ? -1 : o.body.length);
          ex.getResponseBody().write(o.body);
        }
      }
    } catch (RuntimeException e) {
      ex.sendResponseHeaders(500, -1);
    }
  }

  private void kv(HttpExchange ex, String path, byte[] body) throws IOException {
    String key = path.substring(path.lastIndexOf('/') + 1);
    if (ex.getRequestMethod().equals("PUT")) {
      kv.put(key, body);
      send(
          ex,
          200,
          "{\"success\":true,\"errors\":[],\"messages\":[],\"result\":null}",
          "application/json");
    } else if (kv.containsKey(key)) {
      send(ex, 200, new String(kv.get(key), StandardCharsets.UTF_8), "application/octet-stream");
    } else {
      send(
          ex,
          404,
          "{\"success\":false,\"errors\":[{\"code\":10009,\"message\":\"get: 'key not found'\"}],\"messages\":[],\"result\":null}",
          "application/json");
    }
  }

  private String list(String prefix) {
    StringBuilder b =
        new StringBuilder(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                    + "<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>training</Name><Prefix>")
            .append(xml(prefix))
            .append("</Prefix><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>");
    int count = 0;
    for (Map.Entry<String, StoredObject> e : objects.tailMap(prefix, true).entrySet()) {
      if (!e.getKey().startsWith(prefix)) {
        break;
      }
      count++;
      b.append("<Contents><Key>")
          .append(xml(e.getKey()))
          .append("</Key><LastModified>2026-01-01T00:00:00.000Z</LastModified>")
          .append("<ETag>&quot;0&quot;</ETag><Size>")
          .append(e.getValue().body.length)
          .append("</Size>")
          .append("<StorageClass>STANDARD</StorageClass></Contents>");
    }
    return b.append("<KeyCount>").append(count).append("</KeyCount></ListBucketResult>").toString();
  }

  private static String noUploads() {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListMultipartUploadsResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
        + "<Bucket>training</Bucket><IsTruncated>false</IsTruncated></ListMultipartUploadsResult>";
  }

  private static void error(HttpExchange ex, int status, String code) throws IOException {
    send(
        ex,
        status,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>"
            + code
            + "</Code><Message>"
            + code
            + "</Message></Error>",
        "application/xml");
  }

  private static void send(HttpExchange ex, int status, String text, String type)
      throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> q = new HashMap<>();
    if (raw != null) {
      for (String p : raw.split("&")) {
        int eq = p.indexOf('=');
        q.put(
            URLDecoder.decode(eq < 0 ? p : p.substring(0, eq), StandardCharsets.UTF_8),
            eq < 0 ? "" : URLDecoder.decode(p.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return q;
  }

  private static String xml(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  @Override
  public void close() {
    server.stop(0);
    pool.shutdownNow();
  }
}
