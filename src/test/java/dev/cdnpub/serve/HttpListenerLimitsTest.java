package dev.cdnpub.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cdnpub.testing.RawHttp;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The listener's bounds against idle and slow clients, with short limits: every test sends its own
 * raw bytes to a listener answering 200 "ok" to every request.
 */
class HttpListenerLimitsTest {
  private static final HttpListener.Handler OK =
      new HttpListener.Handler() {
        @Override
        public HttpResponse handle(HttpRequest request) {
          return AliasResolver.text(200, "ok");
        }

        @Override
        public HttpResponse malformed(String why) {
          return AliasResolver.text(400, "bad request: " + why);
        }
      };

  private HttpListener listener;
  private final List<Socket> clients = new ArrayList<>();

  @AfterEach
  void stop() throws IOException {
    for (Socket s : clients) {
      s.close();
    }
    if (listener != null) {
      listener.close();
    }
  }

  private void start(HttpListener.Limits limits) throws IOException {
    listener = HttpListener.start(new InetSocketAddress("127.0.0.1", 0), OK, limits);
  }

  private Socket connect() throws IOException {
    Socket s = new Socket();
    clients.add(s);
    s.connect(new InetSocketAddress("127.0.0.1", listener.port()), 5_000);
    s.setSoTimeout(5_000);
    return s;
  }

  private RawHttp.Response get() throws IOException {
    return RawHttp.send(listener.port(), "GET /x HTTP/1.1", Map.of("Host", "cdn.example.com"));
  }

  private static String readAll(Socket s) throws IOException {
    return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
  }

  @Test
  void moreIdleConnectionsThanTheBound_extraOnesGet503_andALaterRequestIsAnswered()
      throws Exception {
    start(new HttpListener.Limits(4, 1_000, 200, 50));
    List<Socket> idle = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      idle.add(connect());
    }
    // Beyond the bound: answered 503 at once and closed, without waiting for a request.
    int busy = 0;
    for (Socket s : idle.subList(4, 12)) {
      String answer = readAll(s);
      assertTrue(answer.startsWith("HTTP/1.1 503 "), answer);
      busy++;
    }
    assertEquals(8, busy);
    // The idle ones within the bound are closed at the head deadline; then requests are answered.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    RawHttp.Response answer = get();
    while (answer.status() == 503 && System.nanoTime() < deadline) {
      Thread.sleep(100);
      answer = get();
    }
    assertEquals(200, answer.status());
    assertEquals("ok", answer.text().strip());
  }

  @Test
  void tricklingClients_moreThanAnyPool_doNotDelayANormalRequest() throws Exception {
    start(new HttpListener.Limits(64, 3_000, 200, 50));
    List<OutputStream> slow = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      Socket s = connect();
      OutputStream out = s.getOutputStream();
      out.write("GET /slow HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
      slow.add(out);
    }
    AtomicBoolean stop = new AtomicBoolean();
    Thread trickle =
        new Thread(
            () -> {
              for (int round = 0; round < 100 && !stop.get(); round++) {
                for (OutputStream out : slow) {
                  try {
                    out.write('X');
                    out.flush();
                  } catch (IOException e) {
                    // cut by the server at its deadline
                  }
                }
                try {
                  Thread.sleep(50);
                } catch (InterruptedException e) {
                  return;
                }
              }
            });
    trickle.setDaemon(true);
    trickle.start();
    try {
      Thread.sleep(300); // all of them are trickling now
      long start = System.nanoTime();
      RawHttp.Response answer = get();
      long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertEquals(200, answer.status());
      assertTrue(ms < 1_500, "answered after " + ms + " ms");
    } finally {
      stop.set(true);
      trickle.join(5_000);
    }
  }

  @Test
  void aClientTricklingItsHead_isCutAtTheHeadDeadline_notPerRead() throws Exception {
    start(new HttpListener.Limits(8, 600, 200, 50));
    Socket s = connect();
    OutputStream out = s.getOutputStream();
    InputStream in = s.getInputStream();
    long start = System.nanoTime();
    boolean cut = false;
    // One byte every 100 ms: each read waits far less than the deadline, the head never ends.
    for (int i = 0; i < 60 && !cut; i++) {
      try {
        out.write(i == 0 ? 'G' : 'X');
        out.flush();
        s.setSoTimeout(100);
        cut = in.read() < 0;
      } catch (java.net.SocketTimeoutException e) {
        // still open
      } catch (IOException e) {
        cut = true;
      }
    }
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertTrue(cut, "never cut");
    assertTrue(ms >= 500 && ms < 2_000, "cut after " + ms + " ms");
  }

  @Test
  void blankLinesBeforeTheRequestLine_countTowardTheHeadLimit() throws Exception {
    start(new HttpListener.Limits(8, 5_000, 200, 50));
    Socket s = connect();
    byte[] blank = "\r\n".repeat(HttpListener.MAX_HEAD_BYTES / 2 + 1).getBytes();
    OutputStream out = s.getOutputStream();
    try {
      out.write(blank);
      out.flush();
    } catch (IOException e) {
      // the server may cut the connection while the rest is still being written
    }
    String answer = readAll(s);
    assertTrue(answer.startsWith("HTTP/1.1 400 "), answer);
    assertTrue(answer.contains("request head longer than"), answer);
  }

  @Test
  void aClientStillSendingAfterItsAnswer_isDrainedForABoundedTimeOnly() throws Exception {
    start(new HttpListener.Limits(8, 5_000, 300, 50));
    Socket s = connect();
    OutputStream out = s.getOutputStream();
    out.write(
        "POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 100000000\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII));
    out.flush();
    String answer = readAll(s); // to the end the server's half-close marks
    assertTrue(answer.startsWith("HTTP/1.1 200 "), answer);
    long start = System.nanoTime();
    boolean closed = false;
    // Keeps sending a little body, slowly: each read of the drain would succeed in time, so only a
    // bound on the drain's total time closes the connection (then a write fails).
    for (int i = 0; i < 50 && !closed; i++) {
      try {
        out.write(new byte[16]);
        out.flush();
        Thread.sleep(100);
      } catch (IOException e) {
        closed = true;
      }
    }
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertTrue(closed, "never closed");
    assertTrue(ms < 2_000, "closed after " + ms + " ms");
  }
}
