package dev.cdnpub.serve;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A small HTTP/1.1 server on a plain {@link ServerSocket}, one request per connection ({@code
 * Connection: close}). It hands the request target over exactly as sent: the JDK's own {@code
 * com.sun.net.httpserver} refuses a target that {@link java.net.URI} cannot parse ({@code %zz}, raw
 * non-ASCII, {@code \}, {@code |}) with its own 400 before any handler runs (measured with JDK 17),
 * and the resolver must answer those itself, as the Worker does.
 *
 * <p>Every wait is bounded, so that neither idle nor slow clients can stop it from answering
 * others: each connection has its own thread, and at most {@link Limits#maxConnections} are open at
 * once (one more is answered 503 and closed at once, without reading it); the whole request head
 * must arrive within {@link Limits#headDeadlineMs} and be at most {@value #MAX_HEAD_BYTES} bytes,
 * blank lines before the request line included; what a client sends after its request is drained
 * for at most {@link Limits#drainMs}; a failing {@code accept} (for example, out of file
 * descriptors) is reported once to {@link Handler#trouble} and retried after {@link
 * Limits#acceptBackoffMs}; and {@link #close} waits at most {@value #STOP_WAIT_MS} ms for requests
 * in flight.
 */
public final class HttpListener implements AutoCloseable {
  /** Turns a request into its answer; called on several threads at once, must not throw. */
  public interface Handler {
    HttpResponse handle(HttpRequest request);

    /** The answer to a request that is not HTTP/1.x as expected; {@code why} says what. */
    HttpResponse malformed(String why);

    /**
     * Told, in one line, about trouble that costs no answer but should be seen (the listener could
     * not accept a connection for a while). Must return quickly and must not throw.
     */
    default void trouble(String line) {}
  }

  /**
   * The bounds on clients.
   *
   * @param maxConnections connections open at once; one more is answered 503 and closed
   * @param headDeadlineMs time from accept until the whole request head has arrived
   * @param drainMs time spent reading what a client sent after its request, after the answer
   * @param acceptBackoffMs pause after a failed accept before the next try
   */
  record Limits(int maxConnections, long headDeadlineMs, long drainMs, long acceptBackoffMs) {
    static final Limits DEFAULT = new Limits(128, 10_000, 1_000, 100);
  }

  static final int MAX_HEAD_BYTES = 32 * 1024;
  static final int STOP_WAIT_MS = 5_000;
  private static final int MAX_DRAIN_BYTES = 1 << 20;
  private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
  private static final byte[] BUSY =
      ("HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n"
              + "Content-Length: 22\r\nRetry-After: 1\r\nConnection: close\r\n\r\n"
              + "too many connections\r\n")
          .getBytes(StandardCharsets.US_ASCII);

  private final ServerSocket socket;
  private final Handler handler;
  private final Limits limits;
  private final Semaphore slots;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final Thread acceptor;
  private final CountDownLatch stopped = new CountDownLatch(1);

  private HttpListener(ServerSocket socket, Handler handler, Limits limits) {
    this.socket = socket;
    this.handler = handler;
    this.limits = limits;
    this.slots = new Semaphore(limits.maxConnections());
    this.acceptor = new Thread(this::acceptLoop, "cdnpub-serve-accept");
    acceptor.setDaemon(true);
  }

  /** Listens on {@code address} (port 0: any free port) and starts answering. */
  public static HttpListener start(InetSocketAddress address, Handler handler) throws IOException {
    return start(address, handler, Limits.DEFAULT);
  }

  static HttpListener start(InetSocketAddress address, Handler handler, Limits limits)
      throws IOException {
    ServerSocket socket = new ServerSocket();
    try {
      socket.bind(address, 64);
    } catch (IOException e) {
      socket.close();
      throw e;
    }
    HttpListener listener = new HttpListener(socket, handler, limits);
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

  /**
   * Stops accepting, lets requests in flight finish (bounded), closes what is still open, then
   * returns; idempotent.
   */
  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing a listening socket that is already closed
    }
    try {
      if (slots.tryAcquire(limits.maxConnections(), STOP_WAIT_MS, TimeUnit.MILLISECONDS)) {
        slots.release(limits.maxConnections());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (Socket s : open) {
      closeQuietly(s);
    }
    stopped.countDown();
  }

  private void acceptLoop() {
    boolean failing = false;
    while (!socket.isClosed()) {
      Socket client;
      try {
        client = socket.accept();
      } catch (IOException e) {
        if (socket.isClosed()) {
          return;
        }
        // Out of file descriptors, or the like: the clients holding them go away in time (every
        // wait is bounded), so wait a little and keep accepting.
        if (!failing) {
          failing = true;
          tell("cannot accept connections (" + e.getMessage() + "); retrying");
        }
        try {
          Thread.sleep(limits.acceptBackoffMs());
        } catch (InterruptedException interrupted) {
          return;
        }
        continue;
      }
      if (failing) {
        failing = false;
        tell("accepting connections again");
      }
      if (!slots.tryAcquire()) {
        refuse(client);
        continue;
      }
      open.add(client);
      try {
        Thread worker = new Thread(() -> serveThenRelease(client), "cdnpub-serve");
        worker.setDaemon(true);
        worker.start();
      } catch (OutOfMemoryError | RuntimeException e) {
        // no thread to be had: this connection cannot be answered
        open.remove(client);
        closeQuietly(client);
        slots.release();
      }
    }
  }

  private void tell(String line) {
    try {
      handler.trouble(line);
    } catch (RuntimeException ignored) {
      // a log that fails must not stop the server
    }
  }

  /** 503 and close; the answer fits any send buffer, so this never waits for the client. */
  private static void refuse(Socket client) {
    try (client) {
      client.getOutputStream().write(BUSY);
      client.shutdownOutput();
    } catch (IOException ignored) {
      // the client is gone already
    }
  }

  private void serveThenRelease(Socket client) {
    try {
      serve(client);
    } finally {
      open.remove(client);
      slots.release();
    }
  }

  private void serve(Socket client) {
    try (client) {
      DeadlineInput deadline = new DeadlineInput(client, limits.headDeadlineMs());
      InputStream in = new BufferedInputStream(deadline);
      HttpResponse response;
      String method = null;
      try {
        HttpRequest request = read(in, hostPort(client));
        method = request.method();
        response = handler.handle(request);
      } catch (Malformed e) {
        response = handler.malformed(e.getMessage());
      }
      OutputStream out = new BufferedOutputStream(client.getOutputStream(), 64 * 1024);
      out.write(head(response));
      if (!"HEAD".equals(method) && response.status() != 204 && response.status() != 304) {
        response.writeBodyTo(out);
      }
      out.flush();
      // A body the client sent is not read; drain a little of it before closing, so that the
      // close does not reset the connection under the answer.
      client.shutdownOutput();
      deadline.restart(limits.drainMs());
      long drained = 0;
      byte[] buffer = new byte[8192];
      int n;
      while (drained < MAX_DRAIN_BYTES && (n = in.read(buffer)) > 0) {
        drained += n;
      }
    } catch (IOException | RuntimeException e) {
      // the client went away, was too slow, or the connection or the store broke mid-body: this
      // one connection is over, and nothing more can be answered on it
    }
  }

  /**
   * The socket's input with one deadline for many reads: each read may wait only for what is left
   * of it, so a client that trickles a byte at a time cannot stretch its time.
   */
  private static final class DeadlineInput extends InputStream {
    private final Socket socket;
    private final InputStream in;
    private long deadline;

    DeadlineInput(Socket socket, long ms) throws IOException {
      this.socket = socket;
      this.in = socket.getInputStream();
      restart(ms);
    }

    void restart(long ms) {
      deadline = System.nanoTime() + ms * 1_000_000L;
    }

    private void arm() throws IOException {
      long left = (deadline - System.nanoTime()) / 1_000_000L;
      if (left <= 0) {
        throw new SocketTimeoutException("deadline passed");
      }
      socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, left));
    }

    @Override
    public int read() throws IOException {
      arm();
      return in.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      arm();
      return in.read(b, off, len);
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
      head.append("Content-Length: ").append(response.length()).append("\r\n");
    }
    head.append("Connection: close\r\n\r\n");
    return head.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static HttpRequest read(InputStream in, String local) throws IOException, Malformed {
    ByteArrayOutputStream headBytes = new ByteArrayOutputStream();
    int previous = -1;
    int lineLength = 0;
    boolean any = false;
    int count = 0;
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new Malformed("the connection ended inside the request head");
      }
      // Blank lines before the request line count too: a client must not send them for ever.
      if (++count > MAX_HEAD_BYTES) {
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
