package dev.cdnpub.serve;

import dev.cdnpub.core.Threads;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A small HTTP/1.1 server on a plain {@link ServerSocket}, one request per connection ({@code
 * Connection: close}). It hands the request target over exactly as sent: the JDK's own {@code
 * com.sun.net.httpserver} refuses a target that {@link java.net.URI} cannot parse ({@code %zz}, raw
 * non-ASCII, {@code \}, {@code |}) with its own 400 before any handler runs (measured with JDK 17),
 * and the resolver must answer those itself, as the Worker does.
 *
 * <p>Every wait is bounded: a client gets {@value #READ_TIMEOUT_MS} ms per read, a request head may
 * be at most {@value #MAX_HEAD_BYTES} bytes, and {@link #close} waits at most {@value
 * #STOP_WAIT_MS} ms for requests in flight.
 */
public final class HttpListener implements AutoCloseable {
  /** Turns a request into its answer; called on several threads at once, must not throw. */
  public interface Handler {
    HttpResponse handle(HttpRequest request);

    /** The answer to a request that is not HTTP/1.x as expected; {@code why} says what. */
    HttpResponse malformed(String why);
  }

  static final int READ_TIMEOUT_MS = 10_000;
  static final int MAX_HEAD_BYTES = 32 * 1024;
  static final int STOP_WAIT_MS = 5_000;
  private static final int THREADS = 8;
  private static final int MAX_DRAIN_BYTES = 1 << 20;
  private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

  private final ServerSocket socket;
  private final Handler handler;
  private final ExecutorService workers;
  private final Thread acceptor;
  private final CountDownLatch stopped = new CountDownLatch(1);

  private HttpListener(ServerSocket socket, Handler handler) {
    this.socket = socket;
    this.handler = handler;
    this.workers = Threads.pool(THREADS, "cdnpub-serve");
    this.acceptor = new Thread(this::acceptLoop, "cdnpub-serve-accept");
    acceptor.setDaemon(true);
  }

  /** Listens on {@code address} (port 0: any free port) and starts answering. */
  public static HttpListener start(InetSocketAddress address, Handler handler) throws IOException {
    ServerSocket socket = new ServerSocket();
    try {
      socket.bind(address, 64);
    } catch (IOException e) {
      socket.close();
      throw e;
    }
    HttpListener listener = new HttpListener(socket, handler);
    listener.acceptor.start();
    return listener;
  }

  /** The port it listens on (the chosen one when started with port 0). */
  public int port() {
    return socket.getLocalPort();
  }

  /** Blocks until {@link #close} has run. */
  public void awaitStopped() throws InterruptedException {
    stopped.await();
  }

  /** Stops accepting, lets requests in flight finish (bounded), then returns; idempotent. */
  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing a listening socket that is already closed
    }
    workers.shutdown();
    try {
      if (!workers.awaitTermination(STOP_WAIT_MS, TimeUnit.MILLISECONDS)) {
        workers.shutdownNow();
      }
    } catch (InterruptedException e) {
      workers.shutdownNow();
      Thread.currentThread().interrupt();
    }
    stopped.countDown();
  }

  private void acceptLoop() {
    while (!socket.isClosed()) {
      Socket client;
      try {
        client = socket.accept();
      } catch (IOException e) {
        return; // closed
      }
      try {
        workers.execute(() -> serve(client));
      } catch (RejectedExecutionException e) {
        closeQuietly(client);
        return;
      }
    }
  }

  private void serve(Socket client) {
    try (client) {
      client.setSoTimeout(READ_TIMEOUT_MS);
      InputStream in = new BufferedInputStream(client.getInputStream());
      HttpResponse response;
      String method = null;
      try {
        HttpRequest request = read(in, hostPort(client));
        method = request.method();
        response = handler.handle(request);
      } catch (Malformed e) {
        response = handler.malformed(e.getMessage());
      }
      OutputStream out = client.getOutputStream();
      out.write(head(response));
      if (!"HEAD".equals(method) && response.status() != 204 && response.status() != 304) {
        out.write(response.body());
      }
      out.flush();
      // A body the client sent is not read; drain a little of it before closing, so that the
      // close does not reset the connection under the answer.
      client.shutdownOutput();
      client.setSoTimeout(1_000);
      long drained = 0;
      byte[] buffer = new byte[8192];
      int n;
      while (drained < MAX_DRAIN_BYTES && (n = in.read(buffer)) > 0) {
        drained += n;
      }
    } catch (IOException e) {
      // the client went away, stayed silent past the timeout, or the connection broke: this one
      // connection is over, and nothing can be answered on it
    }
  }

  /** The status line and headers, with Content-Length and Connection: close. */
  private static byte[] head(HttpResponse response) {
    StringBuilder head =
        new StringBuilder("HTTP/1.1 ")
            .append(response.status())
            .append(' ')
            .append(reason(response.status()))
            .append("\r\n");
    for (Map.Entry<String, String> h : response.headers().entrySet()) {
      head.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
    }
    if (response.status() != 204 && response.status() != 304) {
      head.append("Content-Length: ").append(response.body().length).append("\r\n");
    }
    head.append("Connection: close\r\n\r\n");
    return head.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static HttpRequest read(InputStream in, String local) throws IOException, Malformed {
    ByteArrayOutputStream headBytes = new ByteArrayOutputStream();
    int previous = -1;
    int lineLength = 0;
    boolean any = false;
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new Malformed("the connection ended inside the request head");
      }
      if (headBytes.size() >= MAX_HEAD_BYTES) {
        throw new Malformed("request head longer than " + MAX_HEAD_BYTES + " bytes");
      }
      if (!any && (b == '\r' || b == '\n')) {
        continue; // empty lines before a request line are allowed (RFC 9112, 2.2)
      }
      any = true;
      headBytes.write(b);
      if (b == '\n') {
        if (lineLength == 0 || (lineLength == 1 && previous == '\r')) {
          break;
        }
        lineLength = 0;
      } else {
        lineLength++;
      }
      previous = b;
    }
    String[] lines = headBytes.toString(StandardCharsets.ISO_8859_1).split("\r?\n");
    String[] requestLine = lines[0].split(" ", -1);
    if (requestLine.length != 3
        || !TOKEN.matcher(requestLine[0]).matches()
        || requestLine[1].isEmpty()
        || !requestLine[2].matches("HTTP/1\\.[01]")) {
      throw new Malformed("not an HTTP/1.1 request line");
    }
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon <= 0 || !TOKEN.matcher(lines[i].substring(0, colon)).matches()) {
        throw new Malformed("malformed header line");
      }
      String name = lines[i].substring(0, colon).toLowerCase(Locale.ROOT);
      String value = lines[i].substring(colon + 1).strip();
      headers.merge(name, value, (a, c) -> a + ", " + c);
    }
    return new HttpRequest(requestLine[0], requestLine[1], headers, local);
  }

  private static String reason(int status) {
    return switch (status) {
      case 200 -> "OK";
      case 204 -> "No Content";
      case 302 -> "Found";
      case 304 -> "Not Modified";
      case 400 -> "Bad Request";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 500 -> "Internal Server Error";
      case 502 -> "Bad Gateway";
      case 503 -> "Service Unavailable";
      default -> "Status";
    };
  }

  private static String hostPort(Socket client) {
    String host = client.getLocalAddress().getHostAddress();
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + client.getLocalPort();
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // nothing was sent on it
    }
  }

  /** A request that cannot be read as HTTP/1.x. */
  private static final class Malformed extends Exception {
    Malformed(String why) {
      super(why);
    }
  }
}
