package dev.cdnpub.bench;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Watches the two byte streams of one proxied HTTP/1.1 connection and counts every request by S3
 * operation (path-style: {@code /bucket/key?query}), and every answer that was not 2xx as
 * "Operation status" (e.g. "PutObject 412"). A passive observer: it only reads copies of the bytes,
 * and if it ever loses track of the framing it stops counting that connection, nothing else.
 */
final class HttpSniffer {
  /** Counts shared by every connection of one proxy. */
  static final class Counts {
    final boolean kv;
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    final AtomicInteger unparsed = new AtomicInteger();

    Counts(boolean kv) {
      this.kv = kv;
    }

    void add(String key) {
      counts.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
    }

    /** Requests by operation, plus "Operation status" entries, since the last call; then zero. */
    synchronized Map<String, Integer> snapshotAndReset() {
      Map<String, Integer> out = new TreeMap<>();
      counts.forEach(
          (k, v) -> {
            int n = v.getAndSet(0);
            if (n > 0) {
              out.put(k, n);
            }
          });
      int lost = unparsed.getAndSet(0);
      if (lost > 0) {
        out.put("(connections not parsed)", lost);
      }
      return out;
    }
  }

  @FunctionalInterface
  interface Feed {
    void accept(byte[] bytes);
  }

  private final Counts counts;

  /** Operations of requests sent and not yet answered, oldest first. */
  private final ConcurrentLinkedQueue<String[]> pending = new ConcurrentLinkedQueue<>();

  private final Parser requests = new Parser(true);
  private final Parser responses = new Parser(false);

  HttpSniffer(Counts counts) {
    this.counts = counts;
  }

  void request(byte[] bytes) {
    requests.feed(bytes);
  }

  void response(byte[] bytes) {
    responses.feed(bytes);
  }

  /** S3 operation of a path-style request. */
  static String operation(String method, String target, Map<String, String> headers, boolean kv) {
    if (kv) {
      return "KV " + method;
    }
    int q = target.indexOf('?');
    String path = q < 0 ? target : target.substring(0, q);
    Set<String> params = new HashSet<>();
    if (q >= 0) {
      for (String p : target.substring(q + 1).split("&")) {
        int eq = p.indexOf('=');
        params.add(eq < 0 ? p : p.substring(0, eq));
      }
    }
    String rest = path.startsWith("/") ? path.substring(1) : path;
    int slash = rest.indexOf('/');
    boolean bucketOnly = slash < 0 || slash == rest.length() - 1;
    boolean copy = headers.containsKey("x-amz-copy-source");
    switch (method) {
      case "GET":
        if (bucketOnly) {
          if (params.contains("list-type")) {
            return "ListObjectsV2";
          }
          if (params.contains("uploads")) {
            return "ListMultipartUploads";
          }
          if (params.contains("location")) {
            return "GetBucketLocation";
          }
          return rest.isEmpty() ? "ListBuckets" : "ListObjects";
        }
        return params.contains("uploadId") ? "ListParts" : "GetObject";
      case "HEAD":
        return bucketOnly ? "HeadBucket" : "HeadObject";
      case "PUT":
        if (bucketOnly) {
          return "CreateBucket";
        }
        if (params.contains("uploadId")) {
          return copy ? "UploadPartCopy" : "UploadPart";
        }
        return copy ? "CopyObject" : "PutObject";
      case "POST":
        if (params.contains("uploads")) {
          return "CreateMultipartUpload";
        }
        if (params.contains("uploadId")) {
          return "CompleteMultipartUpload";
        }
        return params.contains("delete") ? "DeleteObjects" : "POST";
      case "DELETE":
        if (params.contains("uploadId")) {
          return "AbortMultipartUpload";
        }
        return bucketOnly ? "DeleteBucket" : "DeleteObject";
      default:
        return method;
    }
  }

  /** Framing of a stream of HTTP/1.1 messages: head, then a body by length, chunks or close. */
  private final class Parser {
    private static final int HEAD = 0,
        BODY = 1,
        CHUNK_SIZE = 2,
        CHUNK_DATA = 3,
        CHUNK_END = 4,
        TRAILER = 5,
        UNTIL_CLOSE = 6,
        BROKEN = 7;
    private static final int MAX_HEAD = 256 * 1024;
    private final boolean isRequest;
    private int state = HEAD;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private long left;
    private int last4;

    Parser(boolean isRequest) {
      this.isRequest = isRequest;
    }

    void feed(byte[] b) {
      try {
        int i = 0;
        while (i < b.length && state != BROKEN && state != UNTIL_CLOSE) {
          switch (state) {
            case HEAD -> {
              last4 = (last4 << 8) | (b[i] & 0xff);
              line.write(b[i++]);
              if (last4 == 0x0d0a0d0a) {
                last4 = 0;
                head(line.toString(StandardCharsets.ISO_8859_1));
                line.reset();
              } else if (line.size() > MAX_HEAD) {
                broken();
              }
            }
            case BODY, CHUNK_DATA -> {
              int n = (int) Math.min(left, b.length - i);
              i += n;
              left -= n;
              if (left == 0) {
                state = state == BODY ? HEAD : CHUNK_END;
                left = 2;
              }
            }
            case CHUNK_END -> {
              i++;
              if (--left == 0) {
                state = CHUNK_SIZE;
              }
            }
            case CHUNK_SIZE, TRAILER -> {
              boolean newline = b[i] == '\n';
              line.write(b[i++]);
              if (newline) {
                String text = line.toString(StandardCharsets.ISO_8859_1).trim();
                line.reset();
                if (state == TRAILER) {
                  if (text.isEmpty()) {
                    state = HEAD;
                  }
                } else {
                  int semi = text.indexOf(';');
                  long size = Long.parseLong(semi < 0 ? text : text.substring(0, semi).trim(), 16);
                  if (size == 0) {
                    state = TRAILER;
                  } else {
                    left = size;
                    state = CHUNK_DATA;
                  }
                }
              }
            }
            default -> broken();
          }
        }
      } catch (RuntimeException e) {
        broken();
      }
    }

    private void broken() {
      if (state != BROKEN) {
        state = BROKEN;
        counts.unparsed.incrementAndGet();
      }
    }

    private void head(String text) {
      String[] lines = text.split("\r\n");
      String[] start = lines[0].split(" ", 3);
      Map<String, String> headers = new TreeMap<>();
      for (int k = 1; k < lines.length; k++) {
        int colon = lines[k].indexOf(':');
        if (colon > 0) {
          headers.put(
              lines[k].substring(0, colon).trim().toLowerCase(Locale.ROOT),
              lines[k].substring(colon + 1).trim());
        }
      }
      boolean bodyless;
      if (isRequest) {
        String op = operation(start[0], start[1], headers, counts.kv);
        counts.add(op);
        pending.add(new String[] {op, start[0]});
        bodyless = false;
      } else {
        int status = Integer.parseInt(start[1]);
        if (status >= 100 && status < 200) {
          state = HEAD; // 100 Continue: the real answer follows
          return;
        }
        String[] req = pending.poll();
        String op = req == null ? "?" : req[0];
        if (status < 200 || status > 299) {
          counts.add(op + " " + status);
        }
        bodyless = (req != null && "HEAD".equals(req[1])) || status == 204 || status == 304;
      }
      String te = headers.getOrDefault("transfer-encoding", "");
      String cl = headers.get("content-length");
      if (bodyless) {
        state = HEAD;
      } else if (te.toLowerCase(Locale.ROOT).contains("chunked")) {
        state = CHUNK_SIZE;
      } else if (cl != null && Long.parseLong(cl) > 0) {
        left = Long.parseLong(cl);
        state = BODY;
      } else if (cl != null || isRequest) {
        state = HEAD;
      } else {
        state = UNTIL_CLOSE;
      }
    }
  }
}
