package dev.cdnpub.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.cdnpub.core.CdnpubException;
import dev.cdnpub.publish.PublishListener;
import dev.cdnpub.publish.PublishPlan;
import dev.cdnpub.publish.PublishPlanner;
import dev.cdnpub.publish.Publisher;
import dev.cdnpub.publish.ReleaseVersion;
import dev.cdnpub.store.S3ObjectStore;
import dev.cdnpub.testing.InterruptingStore;
import dev.cdnpub.testing.KvApiMock;
import dev.cdnpub.testing.S3ProxyServer;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The servers and chores of scripts/bench-peers, which times cdnpub against rclone and the AWS CLI
 * on the same files. Subcommands:
 *
 * <ul>
 *   <li>{@code serve --rtts 0,20,80 --info FILE --parent PID --max-seconds N}: S3Proxy (as in the
 *       tests), the Workers KV stand-in the tests use ({@link KvApiMock}), and for each RTT a
 *       {@link DelayProxy} in front of each, and one more in front of S3Proxy's HTTPS port (a
 *       self-signed certificate for 127.0.0.1, its PEM file and JVM trust options in FILE, as R2
 *       serves HTTPS only); a control port on 127.0.0.1 answers {@code /bucket} (a fresh bucket's
 *       name), {@code /counts?rtt=N} (requests through that RTT's proxies since the last call;
 *       {@code &tls=1}: the HTTPS proxy's connections) and {@code /stop}. Writes the ports to FILE;
 *       stops when PID dies, on /stop, or after N seconds, whichever comes first.
 *   <li>{@code gen DIR --files N --min BYTES --max BYTES [--large N --large-size BYTES] [--seed
 *       S]}: a synthetic library of random (incompressible) files.
 *   <li>{@code interrupt --endpoint URL --bucket B --dir D --library L --version V --after N}:
 *       leaves the state of a publish that died after its claim and N files (cdnpub's own Publisher
 *       on a store that fails every later write), so the next publish resumes.
 *   <li>{@code plan-bytes DIR}: heap bytes that a publish plan of DIR holds per file.
 * </ul>
 */
public final class PeerLab {
  private PeerLab() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 0) {
      System.err.println("usage: PeerLab serve|gen|interrupt|plan-bytes ...");
      System.exit(2);
    }
    Map<String, String> opts = options(args);
    switch (args[0]) {
      case "serve" -> serve(opts);
      case "gen" -> gen(Path.of(args[1]), opts);
      case "interrupt" -> interrupt(opts);
      case "plan-bytes" -> planBytes(Path.of(args[1]));
      default -> {
        System.err.println("unknown command " + args[0]);
        System.exit(2);
      }
    }
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> opts = new HashMap<>();
    for (int i = 1; i < args.length; i++) {
      if (args[i].startsWith("--")) {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException("missing value after " + args[i]);
        }
        opts.put(args[i].substring(2), args[++i]);
      }
    }
    return opts;
  }

  // ---------------------------------------------------------------------------------------------

  private static void serve(Map<String, String> opts) throws Exception {
    long maxSeconds = Long.parseLong(opts.getOrDefault("max-seconds", "3600"));
    Thread watchdog =
        new Thread(
            () -> {
              try {
                Thread.sleep(maxSeconds * 1000);
              } catch (InterruptedException ignored) {
                return;
              }
              System.err.println("PeerLab: --max-seconds " + maxSeconds + " reached, stopping");
              Runtime.getRuntime().halt(3);
            },
            "watchdog");
    watchdog.setDaemon(true);
    watchdog.start();

    S3ProxyServer s3 = new S3ProxyServer(true, true);
    KvApiMock kv = new KvApiMock();
    Map<Long, DelayProxy> s3Proxies = new LinkedHashMap<>();
    Map<Long, DelayProxy> tlsProxies = new LinkedHashMap<>();
    Map<Long, DelayProxy> kvProxies = new LinkedHashMap<>();
    for (String rtt : opts.getOrDefault("rtts", "0").split(",")) {
      long ms = Long.parseLong(rtt.trim());
      s3Proxies.put(ms, new DelayProxy(s3.endpoint().getPort(), ms, false));
      tlsProxies.put(ms, new DelayProxy(s3.secureEndpoint().getPort(), ms, false));
      kvProxies.put(ms, new DelayProxy(kv.server.port(), ms, true));
    }

    Object stop = new Object();
    AtomicInteger buckets = new AtomicInteger();
    HttpServer control =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    control.createContext(
        "/bucket",
        ex -> {
          String name = "peers-" + buckets.incrementAndGet() + "-" + System.nanoTime() % 100000;
          try (S3Client client = s3.client()) {
            client.createBucket(b -> b.bucket(name));
          }
          answer(ex, name);
        });
    control.createContext(
        "/counts",
        ex -> {
          String query = ex.getRequestURI().getQuery();
          long rtt = Long.parseLong(query == null ? "0" : query.replaceAll(".*rtt=(\\d+).*", "$1"));
          // ?rtt=N&tls=1: the proxy in front of S3Proxy's HTTPS port (it counts connections only:
          // the requests inside TLS are not readable there)
          DelayProxy p =
              query != null && query.contains("tls=1") ? tlsProxies.get(rtt) : s3Proxies.get(rtt);
          DelayProxy k = kvProxies.get(rtt);
          if (p == null) {
            answer(ex, "no proxy for rtt " + rtt);
            return;
          }
          StringBuilder b = new StringBuilder();
          p.counts
              .snapshotAndReset()
              .forEach((op, n) -> b.append(op.replace(' ', ':')).append('=').append(n).append(' '));
          k.counts
              .snapshotAndReset()
              .forEach((op, n) -> b.append(op.replace(' ', ':')).append('=').append(n).append(' '));
          b.append("connections=").append(p.connectionsAndReset() + k.connectionsAndReset());
          answer(ex, b.toString());
        });
    control.createContext(
        "/stop",
        ex -> {
          answer(ex, "stopping");
          synchronized (stop) {
            stopFlag = true;
            stop.notifyAll();
          }
        });
    control.start();

    StringBuilder info = new StringBuilder();
    info.append("S3_PORT=").append(s3.endpoint().getPort()).append('\n');
    info.append("KV_PORT=").append(kv.server.port()).append('\n');
    info.append("CONTROL_PORT=").append(control.getAddress().getPort()).append('\n');
    s3Proxies.forEach(
        (rtt, p) -> info.append("S3_PROXY_").append(rtt).append('=').append(p.port()).append('\n'));
    tlsProxies.forEach(
        (rtt, p) ->
            info.append("S3_TLS_PROXY_").append(rtt).append('=').append(p.port()).append('\n'));
    kvProxies.forEach(
        (rtt, p) -> info.append("KV_PROXY_").append(rtt).append('=').append(p.port()).append('\n'));
    info.append("S3_TLS_PEM=").append(s3.certificate().pem()).append('\n');
    // one option, no spaces: the scripts pass it through env(1)
    info.append("S3_TLS_JAVA_OPTS=")
        .append(String.join(" ", s3.certificate().trustOptions()))
        .append('\n');
    info.append("S3_ACCESS_KEY=").append(S3ProxyServer.ACCESS_KEY).append('\n');
    info.append("S3_SECRET_KEY=").append(S3ProxyServer.SECRET_KEY).append('\n');
    info.append("KV_ACCOUNT=").append(KvApiMock.ACCOUNT).append('\n');
    info.append("KV_NAMESPACE=").append(KvApiMock.NAMESPACE).append('\n');
    info.append("KV_TOKEN=").append(KvApiMock.TOKEN).append('\n');
    Path infoFile = Path.of(opts.get("info"));
    Path tmp = infoFile.resolveSibling(infoFile.getFileName() + ".tmp");
    Files.writeString(tmp, info.toString());
    Files.move(tmp, infoFile, StandardCopyOption.ATOMIC_MOVE);

    long parent = Long.parseLong(opts.getOrDefault("parent", "-1"));
    synchronized (stop) {
      while (true) {
        stop.wait(1000);
        boolean parentGone =
            parent > 0 && ProcessHandle.of(parent).map(h -> !h.isAlive()).orElse(true);
        if (parentGone || stopFlag) {
          break;
        }
      }
    }
    control.stop(0);
    for (DelayProxy p : s3Proxies.values()) {
      p.close();
    }
    for (DelayProxy p : tlsProxies.values()) {
      p.close();
    }
    for (DelayProxy p : kvProxies.values()) {
      p.close();
    }
    kv.close();
    s3.close();
    System.exit(0);
  }

  private static volatile boolean stopFlag;

  private static void answer(HttpExchange ex, String text) throws IOException {
    byte[] body = (text + "\n").getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(200, body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  // ---------------------------------------------------------------------------------------------

  /** Random files: sizes uniform in [min, max], names spread over 10 folders, a few extensions. */
  private static void gen(Path dir, Map<String, String> opts) throws IOException {
    int files = Integer.parseInt(opts.getOrDefault("files", "0"));
    long min = PublishBenchmark.bytes(opts.getOrDefault("min", "1KiB"));
    long max = PublishBenchmark.bytes(opts.getOrDefault("max", "4KiB"));
    int large = Integer.parseInt(opts.getOrDefault("large", "0"));
    long largeSize = PublishBenchmark.bytes(opts.getOrDefault("large-size", "1MiB"));
    long seed = Long.parseLong(opts.getOrDefault("seed", "1"));
    if (files + large > 20_000 || files * max + large * largeSize > 400L * 1024 * 1024) {
      throw new IllegalArgumentException(
          "data set too large for this benchmark (20,000 files, 400 MiB at most)");
    }
    SplittableRandom random = new SplittableRandom(seed);
    String[] ext = {"js", "js", "js", "mjs", "css", "map", "json", "svg"};
    byte[] buffer = new byte[1 << 20];
    for (int i = 0; i < files + large; i++) {
      boolean isLarge = i >= files;
      long size = isLarge ? largeSize : min + random.nextLong(max - min + 1);
      String rel =
          isLarge
              ? "assets/chunk-" + String.format(Locale.ROOT, "%03d", i - files) + ".wasm"
              : "dist/part-"
                  + (i % 10)
                  + "/file-"
                  + String.format(Locale.ROOT, "%05d", i)
                  + "."
                  + ext[i % ext.length];
      Path p = dir.resolve(rel);
      Files.createDirectories(p.getParent());
      try (OutputStream out = Files.newOutputStream(p)) {
        long left = size;
        while (left > 0) {
          random.nextBytes(buffer);
          int n = (int) Math.min(buffer.length, left);
          out.write(buffer, 0, n);
          left -= n;
        }
      }
    }
  }

  // ---------------------------------------------------------------------------------------------

  private static void interrupt(Map<String, String> opts) {
    URI endpoint = URI.create(opts.get("endpoint"));
    String bucket = opts.get("bucket");
    int after = Integer.parseInt(opts.get("after"));
    PublishPlan plan =
        PublishPlanner.plan(
            Path.of(opts.get("dir")),
            opts.get("library"),
            ReleaseVersion.parse(opts.get("version")),
            false);
    S3ObjectStore s3 =
        new S3ObjectStore(
            S3ObjectStore.r2ClientBuilder(
                    endpoint, S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY)
                .build(),
            bucket,
            endpoint.toString(),
            64L * 1024 * 1024,
            16L * 1024 * 1024);
    CountingStore counting = new CountingStore(s3);
    // The claim is created twice (the second create proves the store refuses it), then N files.
    try (InterruptingStore store = new InterruptingStore(counting, 2 + after)) {
      new Publisher(store, Clock.systemUTC(), 1, PublishListener.NONE).publish(plan);
      throw new IllegalStateException("the publish was not interrupted");
    } catch (CdnpubException expected) {
      Map<String, Integer> calls = counting.snapshotAndReset();
      int stored = calls.get("create") - calls.get("create.exists") - 1;
      System.out.println("interrupted after " + stored + " of " + plan.files().size() + " files");
    } finally {
      s3.close();
    }
  }

  // ---------------------------------------------------------------------------------------------

  /** Heap a plan holds: used heap after a full GC with the plan alive, minus before, per file. */
  private static void planBytes(Path dir) {
    List<PublishPlan> keep = new ArrayList<>();
    // Warm up the classes and caches the plan uses, so that only the plan itself is measured.
    PublishPlanner.plan(dir, "benchlib", ReleaseVersion.parse("9.9.8"), false);
    long before = usedAfterGc();
    int copies =
        4; // several plans held at once, so that the difference dwarfs the noise of GC accounting
    for (int i = 0; i < copies; i++) {
      keep.add(PublishPlanner.plan(dir, "benchlib", ReleaseVersion.parse("9.9." + i), false));
    }
    long after = usedAfterGc();
    int files = keep.get(0).files().size();
    long perPlan = (after - before) / copies;
    System.out.printf(
        Locale.ROOT,
        "plan of %d files: %d bytes of heap, %d bytes per file%n",
        files,
        perPlan,
        perPlan / files);
  }

  private static long usedAfterGc() {
    AtomicLong used = new AtomicLong();
    for (int i = 0; i < 3; i++) {
      System.gc();
      used.set(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }
    return used.get();
  }
}
