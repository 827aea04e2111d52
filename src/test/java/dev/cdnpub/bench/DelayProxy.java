package dev.cdnpub.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A TCP proxy on 127.0.0.1 that puts a fixed round-trip time between its clients and one upstream
 * port on 127.0.0.1: every chunk of bytes is delivered half an RTT after it arrived, in each
 * direction, in order (a delay line, like netem's {@code delay}); a new connection's first bytes
 * wait one more RTT, the TCP handshake a real connection pays. Bandwidth is not limited, so this
 * models latency only (no slow start, no loss, no TLS).
 *
 * <p>Every HTTP request going through is counted by operation ({@link HttpSniffer}); forwarding
 * never depends on the counting. Loopback only: it binds to and connects to 127.0.0.1.
 */
final class DelayProxy implements AutoCloseable {
  /** Bytes queued per direction before the reader waits: bounds memory for large uploads. */
  private static final int QUEUE_CHUNKS = 512;

  private record Chunk(byte[] bytes, long dueNanos) {}

  private final ServerSocket server;
  private final int upstreamPort;
  private final long oneWayNanos;
  private final long handshakeNanos;
  final HttpSniffer.Counts counts;
  private final AtomicInteger connections = new AtomicInteger();
  private volatile boolean closed;

  DelayProxy(int upstreamPort, long rttMillis, boolean kv) throws IOException {
    this.upstreamPort = upstreamPort;
    this.oneWayNanos = TimeUnit.MILLISECONDS.toNanos(rttMillis) / 2;
    this.handshakeNanos = TimeUnit.MILLISECONDS.toNanos(rttMillis);
    this.counts = new HttpSniffer.Counts(kv);
    server = new ServerSocket();
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
    Thread accept = new Thread(this::acceptLoop, "delay-proxy-accept-" + port());
    accept.setDaemon(true);
    accept.start();
  }

  int port() {
    return server.getLocalPort();
  }

  /** Connections accepted since the last call, then zero. */
  int connectionsAndReset() {
    return connections.getAndSet(0);
  }

  private void acceptLoop() {
    while (!closed) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        if (!closed) {
          System.err.println("delay proxy: accept failed: " + e);
        }
        return;
      }
      connections.incrementAndGet();
      long notBefore = System.nanoTime() + handshakeNanos;
      try {
        Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
        client.setTcpNoDelay(true);
        upstream.setTcpNoDelay(true);
        HttpSniffer sniffer = new HttpSniffer(counts);
        AtomicInteger done = new AtomicInteger();
        pipe(client, upstream, notBefore, sniffer::request, done);
        pipe(upstream, client, 0, sniffer::response, done);
      } catch (IOException e) {
        System.err.println("delay proxy: cannot reach upstream port " + upstreamPort + ": " + e);
        closeQuietly(client);
      }
    }
  }

  /** Reader and writer threads for one direction: from → (delay) → to. */
  private void pipe(
      Socket from, Socket to, long notBefore, HttpSniffer.Feed observe, AtomicInteger done) {
    BlockingQueue<Chunk> queue = new ArrayBlockingQueue<>(QUEUE_CHUNKS);
    Thread reader =
        new Thread(
            () -> {
              byte[] buffer = new byte[64 * 1024];
              try (InputStream in = from.getInputStream()) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                  byte[] copy = java.util.Arrays.copyOf(buffer, n);
                  observe.accept(copy);
                  Chunk chunk =
                      new Chunk(copy, Math.max(System.nanoTime(), notBefore) + oneWayNanos);
                  while (!queue.offer(chunk, 100, TimeUnit.MILLISECONDS)) {
                    if (to.isClosed()) {
                      return; // the writer gave up: nobody will take it
                    }
                  }
                }
              } catch (IOException | InterruptedException e) {
                // the connection ended
              }
              try {
                Chunk end = new Chunk(null, System.nanoTime() + oneWayNanos);
                while (!queue.offer(end, 100, TimeUnit.MILLISECONDS)) {
                  if (to.isClosed()) {
                    return;
                  }
                }
              } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
              }
            },
            "delay-proxy-read");
    Thread writer =
        new Thread(
            () -> {
              boolean clean = false;
              try {
                OutputStream out = to.getOutputStream();
                while (true) {
                  Chunk c = queue.take();
                  long wait = c.dueNanos - System.nanoTime();
                  while (wait > 0) {
                    LockSupport.parkNanos(wait);
                    wait = c.dueNanos - System.nanoTime();
                  }
                  if (c.bytes == null) {
                    to.shutdownOutput();
                    clean = true;
                    break;
                  }
                  out.write(c.bytes);
                  out.flush();
                }
              } catch (SocketException e) {
                // the other side closed
              } catch (IOException | InterruptedException e) {
                // the connection ended
              }
              // Both directions finished, or this one failed: the connection is over.
              if (!clean || done.incrementAndGet() == 2) {
                closeQuietly(from);
                closeQuietly(to);
              }
            },
            "delay-proxy-write");
    reader.setDaemon(true);
    writer.setDaemon(true);
    reader.start();
    writer.start();
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  @Override
  public void close() throws IOException {
    closed = true;
    server.close();
  }
}
