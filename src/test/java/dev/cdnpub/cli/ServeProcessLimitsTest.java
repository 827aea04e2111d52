package dev.cdnpub.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cdnpub.store.Body;
import dev.cdnpub.store.CreateResult;
import dev.cdnpub.store.Digests;
import dev.cdnpub.store.LocalObjectStore;
import dev.cdnpub.store.ObjectMetadata;
import dev.cdnpub.testing.CliRun;
import dev.cdnpub.testing.RawHttp;
import dev.cdnpub.testing.ServeProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cdnpub serve} in its own JVM under the limits a machine really has: few file descriptors,
 * and a small heap.
 */
class ServeProcessLimitsTest {
  @TempDir Path work;

  private void publish() {
    CliRun run =
        CliRun.run(
            work,
            Map.of(),
            "publish",
            Path.of("examples/chatleo/dist").toAbsolutePath().toString(),
            "--version",
            "1.0.0",
            "--library",
            "chatleo");
    assertEquals(0, run.exitCode, run.toString());
  }

  private static RawHttp.Response alias(ServeProcess serve) throws IOException {
    return RawHttp.send(
        serve.port(), "GET", "/latest/chatleo/loader.js", Map.of("Host", serve.url().substring(7)));
  }

  @Test
  void serve_outOfFileDescriptors_saysSoOnce_keepsAccepting_andAnswersOnceClientsLeave()
      throws Exception {
    Path fds = Path.of("/proc/self/fd");
    assumeTrue(Files.isDirectory(fds), "needs /proc (Linux)");
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/prlimit")), "needs prlimit (util-linux)");
    publish();
    try (ServeProcess serve = ServeProcess.start(work, Map.of(), "Ctrl-C", "--port", "0")) {
      assertEquals(302, alias(serve).status(), "answers before the limit");
      long open;
      try (Stream<Path> list = Files.list(Path.of("/proc/" + serve.pid() + "/fd"))) {
        open = list.count();
      }
      // Room for 20 more descriptors: far fewer than the connections it would take.
      long limit = open + 20;
      Process prlimit =
          new ProcessBuilder(
                  "/usr/bin/prlimit",
                  "--pid",
                  String.valueOf(serve.pid()),
                  "--nofile=" + limit + ":" + limit)
              .redirectErrorStream(true)
              .start();
      assertTrue(prlimit.waitFor(10, TimeUnit.SECONDS));
      assertEquals(0, prlimit.exitValue(), new String(prlimit.getInputStream().readAllBytes()));

      List<Socket> idle = new ArrayList<>();
      try {
        for (int i = 0; i < 60; i++) {
          Socket s = new Socket();
          idle.add(s);
          s.connect(new InetSocketAddress("127.0.0.1", serve.port()), 5_000);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!serve.stderr().contains("cannot accept connections")
            && System.nanoTime() < deadline) {
          Thread.sleep(100);
        }
        assertTrue(serve.stderr().contains("cannot accept connections"), serve.stderr());
      } finally {
        for (Socket s : idle) {
          s.close();
        }
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
      RawHttp.Response answer = null;
      while (System.nanoTime() < deadline) {
        try {
          answer = alias(serve);
          if (answer.status() == 302) {
            break;
          }
        } catch (IOException | IllegalStateException e) {
          // not yet: it is still working through the closed connections
        }
        Thread.sleep(200);
      }
      assertTrue(answer != null && answer.status() == 302, "answered again: " + answer);
      String stderr = serve.stderr();
      assertEquals(
          1,
          stderr.lines().filter(l -> l.contains("cannot accept connections")).count(),
          "one line while it cannot accept: " + stderr);
    }
  }

  @Test
  void serve_aFileLargerThanItsHeap_isStreamedWhole() throws Exception {
    Path store = Files.createDirectories(work.resolve(".cdnpub"));
    Path file = work.resolve("big.bin");
    long size = 96L * 1024 * 1024;
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.setLength(size); // sparse: no disk written for the zeros
      f.seek(size - 5);
      f.write("last\n".getBytes(StandardCharsets.US_ASCII));
    }
    Digests.FileDigests d = Digests.ofFile(file);
    try (LocalObjectStore local = new LocalObjectStore(store)) {
      assertEquals(
          CreateResult.CREATED,
          local.createIfAbsent(
              "v1.0.0/big/big.bin",
              Body.ofFile(file, d.size(), d.md5Base64()),
              new ObjectMetadata(
                  "application/octet-stream",
                  "public, max-age=31536000, immutable",
                  Map.of("sha256", d.sha256Hex()))));
    }
    Files.delete(file);
    try (ServeProcess serve =
        ServeProcess.start(work, Map.of(), List.of("-Xmx32m"), "Ctrl-C", "--port", "0")) {
      for (int round = 0; round < 2; round++) {
        try (Socket s = new Socket()) {
          s.connect(new InetSocketAddress("127.0.0.1", serve.port()), 5_000);
          s.setSoTimeout(10_000);
          OutputStream out = s.getOutputStream();
          out.write(
              ("GET /v1.0.0/big/big.bin HTTP/1.1\r\nHost: " + serve.url().substring(7) + "\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
          out.flush();
          InputStream in = s.getInputStream();
          String head = readHead(in);
          assertTrue(head.startsWith("HTTP/1.1 200 "), head + serve.stderr());
          assertTrue(head.contains("Content-Length: " + size + "\r\n"), head);
          assertTrue(head.contains("ETag: \"" + d.sha256Hex() + "\"\r\n"), head);
          byte[] buffer = new byte[1 << 16];
          long received = 0;
          byte[] tail = new byte[5];
          int n;
          while ((n = in.read(buffer)) > 0) {
            received += n;
            for (int i = 0; i < n; i++) {
              System.arraycopy(tail, 1, tail, 0, 4);
              tail[4] = buffer[i];
            }
          }
          assertEquals(size, received, serve.stderr());
          assertEquals("last\n", new String(tail, StandardCharsets.US_ASCII));
        }
      }
      assertTrue(!serve.stderr().contains("OutOfMemoryError"), serve.stderr());
    }
  }

  private static String readHead(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      head.append((char) b);
    }
    return head.toString();
  }
}
