package dev.cdnpub.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * A fault-injecting HTTP/1.1 proxy on 127.0.0.1 in front of one real server (S3Proxy, WireMock).
 * Clients use {@link #endpoint()} as if it were the server.
 *
 * <p>Forwarding is byte-faithful: the request line and header lines are sent as received (minus a
 * header a rule strips), bodies are copied by {@code Content-Length} or chunk by chunk (chunk lines
 * and trailers included), responses likewise or until the server closes. Each client connection
 * stays open across requests (keep-alive) while the proxy opens a fresh server connection per
 * request, so a server that drops idle connections never shows through as a fault nobody asked for.
 * {@code Expect: 100-continue} is passed to the server and the server's interim answer is relayed
 * before the body is copied; if the server answers finally without {@code 100}, the body was never
 * sent, so the proxy adds {@code Connection: close} to that answer and ends both connections.
 *
 * <p>For each request, every {@link Rule} whose matcher accepts it counts it; the first rule (in
 * the order added) that fires for that count decides the {@link Fault}; with none, the request
 * passes. A rule fires for its first N matching requests ({@link Rule#times}) and/or every k-th
 * ({@link Rule#every}), so a fault storm always ends. Everything seen is recorded ({@link
 * #seen()}). Faults that the proxy answers itself read and drop the request body first so that the
 * connection stays usable (with {@code Expect: 100-continue} the body is never invited and the
 * connection is closed instead). All loops end when the proxy is closed; a stalled request is held
 * until then.
 */
public final class FaultProxy implements AutoCloseable {
  /** What the proxy does with a request. */
  public enum Fault {
    /** Forward it and relay the answer. */
    PASS,
    /** Forward it without one header (see {@link Rule#stripHeader}), relay the answer. */
    STRIP_HEADER,
    /** Reset the client connection (RST) before anything reaches the server. */
    RESET_BEFORE,
    /**
     * Forward it, read the server's whole answer, then reset the client connection: answer lost.
     */
    RESET_AFTER,
    /** Answer 503 with an S3 {@code SlowDown} XML error; nothing reaches the server. */
    SLOW_DOWN_503,
    /** Answer 500 with a plain-text body, as a load balancer would; nothing reaches the server. */
    ERROR_500,
    /**
     * Answer 429 with {@code Retry-After} (see {@link Rule#retryAfterSeconds}) and a Cloudflare
     * JSON error envelope; nothing reaches the server.
     */
    TOO_MANY_429,
    /** Hold the request unanswered until the proxy is closed; nothing reaches the server. */
    STALL
  }

  /** One request as the proxy saw it: method, request target (path and query) and what it did. */
  public record Seen(String method, String target, Fault fault) {
    @Override
    public String toString() {
      return method + " " + target + " " + fault;
    }
  }

  /** The parts of a request that rules decide on. Header names are matched case-insensitively. */
  public record Request(String method, String target, List<String> headerLines) {
    public String path() {
      int q = target.indexOf('?');
      return q < 0 ? target : target.substring(0, q);
    }

    /** The raw query string without '?', or "" when there is none. */
    public String query() {
      int q = target.indexOf('?');
      return q < 0 ? "" : target.substring(q + 1);
    }

    /** The first value of header {@code name}, or null. */
    public String header(String name) {
      for (String line : headerLines) {
        int colon = line.indexOf(':');
        if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
          return line.substring(colon + 1).trim();
        }
      }
      return null;
    }
  }

  /**
   * Which requests get which fault. Built fluently: {@code Rule.on("PUT", "/bucket/v1.*")
   * .times(1).resetBefore()}. The rule counts the requests it matches (1 for the first); it fires
   * when that count is at most {@link #times} and a multiple of {@link #every}. Thread-safe.
   */
  public static final class Rule {
    private final Predicate<Request> matcher;
    private int times = Integer.MAX_VALUE;
    private int every = 1;
    private Fault fault = Fault.PASS;
    private String header;
    private int retryAfterSeconds = 1;
    private final AtomicInteger matched = new AtomicInteger();
    private final AtomicInteger fired = new AtomicInteger();

    private Rule(Predicate<Request> matcher) {
      this.matcher = matcher;
    }

    /**
     * Requests with this method (null: any) whose path (without query) matches {@code pathRegex}.
     */
    public static Rule on(String method, String pathRegex) {
      Pattern path = Pattern.compile(pathRegex);
      return new Rule(
          r ->
              (method == null || method.equalsIgnoreCase(r.method()))
                  && path.matcher(r.path()).matches());
    }

    /** Requests accepted by {@code matcher}. */
    public static Rule when(Predicate<Request> matcher) {
      return new Rule(Objects.requireNonNull(matcher));
    }

    /** Fires only while it has matched at most {@code n} requests. */
    public Rule times(int n) {
      times = n;
      return this;
    }

    /** Fires only on every {@code k}-th matching request (the k-th, 2k-th, …). */
    public Rule every(int k) {
      if (k < 1) {
        throw new IllegalArgumentException("every must be at least 1");
      }
      every = k;
      return this;
    }

    public Rule pass() {
      return fault(Fault.PASS);
    }

    public Rule stripHeader(String name) {
      header = name;
      return fault(Fault.STRIP_HEADER);
    }

    public Rule resetBefore() {
      return fault(Fault.RESET_BEFORE);
    }

    public Rule resetAfter() {
      return fault(Fault.RESET_AFTER);
    }

    public Rule slowDown() {
      return fault(Fault.SLOW_DOWN_503);
    }

    public Rule error500() {
      return fault(Fault.ERROR_500);
    }

    public Rule tooMany(int retryAfterSeconds) {
      this.retryAfterSeconds = retryAfterSeconds;
      return fault(Fault.TOO_MANY_429);
    }

    public Rule stall() {
      return fault(Fault.STALL);
    }

    public Rule fault(Fault f) {
      fault = Objects.requireNonNull(f);
      return this;
    }

    /** How many requests this rule has applied its fault to. */
    public int fired() {
      return fired.get();
    }

    /** Counts {@code r} if it matches; true when the rule fires for it. */
    boolean fires(Request r) {
      if (!matcher.test(r)) {
        return false;
      }
      int n = matched.incrementAndGet();
      if (n <= times && n % every == 0) {
        fired.incrementAndGet();
        return true;
      }
      return false;
    }
  }

  private static final int UPSTREAM_TIMEOUT_MILLIS = 60_000;
  private static final int MAX_LINE = 64 * 1024;

  private final String upstreamHost;
  private final int upstreamPort;
  private final ServerSocket server;
  private final List<Rule> rules = new CopyOnWriteArrayList<>();
  private final List<Seen> seen = Collections.synchronizedList(new ArrayList<>());
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final List<Thread> threads = new CopyOnWriteArrayList<>();
  private final CountDownLatch closed = new CountDownLatch(1);
  private final AtomicInteger connections = new AtomicInteger();
  private final Thread acceptor;

  /** Starts a proxy in front of {@code upstream} (http, host and port used; path ignored). */
  public FaultProxy(URI upstream) throws IOException {
    this.upstreamHost = upstream.getHost();
    this.upstreamPort = upstream.getPort() > 0 ? upstream.getPort() : 80;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.acceptor = new Thread(this::acceptLoop, "fault-proxy-accept-" + server.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** {@code http://127.0.0.1:port}: use as the server's address. */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getLocalPort());
  }

  /** The endpoint with the upstream URL's path, e.g. the Cloudflare API base. */
  public String rewrite(String upstreamUrl) {
    URI u = URI.create(upstreamUrl);
    return endpoint() + (u.getRawPath() == null ? "" : u.getRawPath());
  }

  /**
   * Adds a fully configured rule after the existing ones; returns it so tests can read {@link
   * Rule#fired()}. (Configure before adding: the list publishes the rule to the proxy's threads.)
   */
  public Rule add(Rule rule) {
    rules.add(rule);
    return rule;
  }

  /** Drops every rule: from now on everything passes. */
  public void clearRules() {
    rules.clear();
  }

  /** Requests seen so far, in the order their heads arrived. */
  public List<Seen> seen() {
    synchronized (seen) {
      return List.copyOf(seen);
    }
  }

  /** Client connections accepted so far (keep-alive clients reuse one for many requests). */
  public int connections() {
    return connections.get();
  }

  @Override
  public void close() {
    closed.countDown();
    try {
      server.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    for (Socket s : open) {
      closeQuietly(s);
    }
    try {
      acceptor.join(5_000);
      for (Thread t : threads) {
        t.join(5_000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        return; // closed
      }
      open.add(client);
      connections.incrementAndGet();
      Thread t = new Thread(() -> serve(client), "fault-proxy-" + client.getPort());
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
  }

  /** Serves one client connection, request after request, until either side closes. */
  private void serve(Socket client) {
    try (client) {
      client.setTcpNoDelay(true);
      InputStream in = new BufferedInputStream(client.getInputStream());
      OutputStream out = client.getOutputStream();
      while (closed.getCount() > 0) {
        String requestLine = readLine(in);
        if (requestLine == null) {
          return; // client closed between requests
        }
        if (requestLine.isEmpty()) {
          continue; // RFC 9112 2.2: ignore empty lines before a request
        }
        List<String> headers = readHeaders(in);
        String[] parts = requestLine.split(" ", 3);
        Request request = new Request(parts[0], parts.length > 1 ? parts[1] : "", headers);
        Rule rule = decide(request);
        Fault fault = rule == null ? Fault.PASS : rule.fault;
        seen.add(new Seen(request.method(), request.target(), fault));
        if (!handle(request, requestLine, rule, fault, in, out, client)) {
          return;
        }
      }
    } catch (IOException e) {
      // A client or server that went away ends this connection; nothing else to clean up.
    } finally {
      open.remove(client);
    }
  }

  private Rule decide(Request request) {
    Rule chosen = null;
    for (Rule rule : rules) {
      // Every matching rule counts the request, so each rule's count is independent of the others.
      if (rule.fires(request) && chosen == null) {
        chosen = rule;
      }
    }
    return chosen;
  }

  /** Applies {@code fault}; true when the client connection can carry another request. */
  private boolean handle(
      Request request,
      String requestLine,
      Rule rule,
      Fault fault,
      InputStream in,
      OutputStream out,
      Socket client)
      throws IOException {
    boolean expectContinue = "100-continue".equalsIgnoreCase(request.header("Expect"));
    switch (fault) {
      case RESET_BEFORE -> {
        reset(client);
        return false;
      }
      case STALL -> {
        try {
          closed.await(10, TimeUnit.MINUTES); // bounded even if a test forgets to close the proxy
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return false;
      }
      case SLOW_DOWN_503 -> {
        return answer(
            request,
            expectContinue,
            in,
            out,
            503,
            "Slow Down",
            "application/xml",
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>SlowDown</Code>"
                + "<Message>Please reduce your request rate.</Message><RequestId>fault-proxy</RequestId></Error>",
            null);
      }
      case ERROR_500 -> {
        return answer(
            request,
            expectContinue,
            in,
            out,
            500,
            "Internal Server Error",
            "text/plain; charset=utf-8",
            "500 Internal Server Error (fault proxy)",
            null);
      }
      case TOO_MANY_429 -> {
        return answer(
            request,
            expectContinue,
            in,
            out,
            429,
            "Too Many Requests",
            "application/json",
            "{\"success\":false,\"errors\":[{\"code\":971,\"message\":\"Please wait and consider throttling your request speed\"}],"
                + "\"messages\":[],\"result\":null}",
            "Retry-After: " + rule.retryAfterSeconds);
      }
      default -> {
        List<String> headers = request.headerLines();
        if (fault == Fault.STRIP_HEADER) {
          headers =
              headers.stream().filter(h -> !headerName(h).equalsIgnoreCase(rule.header)).toList();
        }
        return forward(
            request,
            requestLine,
            headers,
            expectContinue,
            fault == Fault.RESET_AFTER,
            in,
            out,
            client);
      }
    }
  }

  /**
   * Forwards one request on a fresh server connection and relays (or, answer lost, drops) the
   * answer.
   */
  private boolean forward(
      Request request,
      String requestLine,
      List<String> headers,
      boolean expectContinue,
      boolean loseAnswer,
      InputStream clientIn,
      OutputStream clientOut,
      Socket client)
      throws IOException {
    try (Socket upstream = new Socket()) {
      open.add(upstream);
      try {
        upstream.connect(new InetSocketAddress(upstreamHost, upstreamPort), 10_000);
        upstream.setSoTimeout(UPSTREAM_TIMEOUT_MILLIS);
        upstream.setTcpNoDelay(true);
        InputStream upIn = new BufferedInputStream(upstream.getInputStream());
        OutputStream upOut = upstream.getOutputStream();
        upOut.write(head(requestLine, headers));
        upOut.flush();
        boolean bodySent = !expectContinue;
        if (!expectContinue) {
          copyBody(request, clientIn, upOut);
          upOut.flush();
        }
        while (true) {
          String statusLine = readLine(upIn);
          if (statusLine == null) {
            throw new EOFException("server closed without answering");
          }
          List<String> responseHeaders = readHeaders(upIn);
          int status = Integer.parseInt(statusLine.split(" ", 3)[1]);
          if (status / 100 == 1) {
            // Interim answers always reach the client: only the final answer is ever lost.
            clientOut.write(head(statusLine, responseHeaders));
            clientOut.flush();
            if (status == 100 && !bodySent) {
              copyBody(request, clientIn, upOut);
              upOut.flush();
              bodySent = true;
            }
            continue;
          }
          if (!bodySent) {
            // The client was told the final answer before sending its body: the connection's
            // framing is unknown from here, so say it closes and close it.
            List<String> closing = new ArrayList<>(responseHeaders);
            closing.removeIf(h -> headerName(h).equalsIgnoreCase("Connection"));
            closing.add("Connection: close");
            responseHeaders = closing;
          }
          ByteArrayOutputStream lost = loseAnswer ? new ByteArrayOutputStream() : null;
          OutputStream to = loseAnswer ? lost : clientOut;
          to.write(head(statusLine, responseHeaders));
          boolean untilClose =
              copyResponseBody(request.method(), status, responseHeaders, upIn, to);
          to.flush();
          if (loseAnswer) {
            reset(client);
            return false;
          }
          return bodySent
              && !untilClose
              && !wantsClose(request.headerLines())
              && !wantsClose(responseHeaders);
        }
      } finally {
        open.remove(upstream);
      }
    }
  }

  /** Answers from the proxy itself; true when the connection can carry another request. */
  private boolean answer(
      Request request,
      boolean expectContinue,
      InputStream in,
      OutputStream out,
      int status,
      String reason,
      String contentType,
      String body,
      String extraHeader)
      throws IOException {
    if (!expectContinue) {
      copyBody(request, in, OutputStream.nullOutputStream());
    }
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    StringBuilder head = new StringBuilder();
    head.append("HTTP/1.1 ").append(status).append(' ').append(reason).append("\r\n");
    head.append("Content-Type: ").append(contentType).append("\r\n");
    head.append("Content-Length: ").append(bytes.length).append("\r\n");
    if (extraHeader != null) {
      head.append(extraHeader).append("\r\n");
    }
    if (expectContinue) {
      head.append("Connection: close\r\n");
    }
    head.append("\r\n");
    out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    if (!"HEAD".equalsIgnoreCase(request.method())) {
      out.write(bytes);
    }
    out.flush();
    return !expectContinue && !wantsClose(request.headerLines());
  }

  private static void copyBody(Request request, InputStream in, OutputStream out)
      throws IOException {
    String te = request.header("Transfer-Encoding");
    if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
      copyChunked(in, out);
      return;
    }
    String length = request.header("Content-Length");
    if (length != null) {
      copyExactly(in, out, Long.parseLong(length.trim()));
    }
    // A request with neither has no body (RFC 9112 6.3).
  }

  /** Copies a response body; true when it was framed by the server closing the connection. */
  private static boolean copyResponseBody(
      String method, int status, List<String> headers, InputStream in, OutputStream out)
      throws IOException {
    if ("HEAD".equalsIgnoreCase(method) || status == 204 || status == 304) {
      return false;
    }
    String te = headerValue(headers, "Transfer-Encoding");
    if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
      copyChunked(in, out);
      return false;
    }
    String length = headerValue(headers, "Content-Length");
    if (length != null) {
      copyExactly(in, out, Long.parseLong(length.trim()));
      return false;
    }
    in.transferTo(out);
    return true;
  }

  private static void copyChunked(InputStream in, OutputStream out) throws IOException {
    while (true) {
      String sizeLine = readLine(in);
      if (sizeLine == null) {
        throw new EOFException("chunked body ended early");
      }
      out.write((sizeLine + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
      int semi = sizeLine.indexOf(';');
      long size = Long.parseLong((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
      if (size == 0) {
        // trailer fields, then the empty line
        while (true) {
          String trailer = readLine(in);
          if (trailer == null) {
            throw new EOFException("chunked trailer ended early");
          }
          out.write((trailer + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
          if (trailer.isEmpty()) {
            return;
          }
        }
      }
      copyExactly(in, out, size);
      String crlf = readLine(in);
      if (crlf == null || !crlf.isEmpty()) {
        throw new IOException("malformed chunk end");
      }
      out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
    }
  }

  private static void copyExactly(InputStream in, OutputStream out, long n) throws IOException {
    byte[] buffer = new byte[16 * 1024];
    long left = n;
    while (left > 0) {
      int read = in.read(buffer, 0, (int) Math.min(buffer.length, left));
      if (read < 0) {
        throw new EOFException("body ended " + left + " bytes early");
      }
      out.write(buffer, 0, read);
      left -= read;
    }
  }

  private static byte[] head(String firstLine, List<String> headers) {
    StringBuilder b = new StringBuilder(firstLine).append("\r\n");
    for (String h : headers) {
      b.append(h).append("\r\n");
    }
    return b.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  private static List<String> readHeaders(InputStream in) throws IOException {
    List<String> headers = new ArrayList<>();
    while (true) {
      String line = readLine(in);
      if (line == null) {
        throw new EOFException("headers ended early");
      }
      if (line.isEmpty()) {
        return headers;
      }
      headers.add(line);
    }
  }

  /**
   * One line without its CRLF (a bare LF also ends it), or null at end of stream before any byte.
   */
  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream(128);
    while (true) {
      int b = in.read();
      if (b < 0) {
        if (line.size() == 0) {
          return null;
        }
        throw new EOFException("line ended early");
      }
      if (b == '\n') {
        byte[] bytes = line.toByteArray();
        int len =
            bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new String(bytes, 0, len, StandardCharsets.ISO_8859_1);
      }
      if (line.size() >= MAX_LINE) {
        throw new IOException("line too long");
      }
      line.write(b);
    }
  }

  private static String headerName(String line) {
    int colon = line.indexOf(':');
    return colon < 0 ? line : line.substring(0, colon).trim();
  }

  private static String headerValue(List<String> headers, String name) {
    return new Request("", "", headers).header(name);
  }

  private static boolean wantsClose(List<String> headers) {
    String connection = headerValue(headers, "Connection");
    return connection != null && connection.toLowerCase(Locale.ROOT).contains("close");
  }

  /** Closes with SO_LINGER 0, which sends RST instead of FIN: the peer sees "connection reset". */
  private static void reset(Socket socket) {
    try {
      socket.setSoLinger(true, 0);
    } catch (SocketException ignored) {
      // already closed
    }
    closeQuietly(socket);
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // nothing to do
    }
  }
}
