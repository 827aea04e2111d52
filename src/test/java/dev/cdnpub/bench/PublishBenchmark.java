package dev.cdnpub.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cdnpub.core.CdnpubException;
import dev.cdnpub.publish.PublishListener;
import dev.cdnpub.publish.PublishPlan;
import dev.cdnpub.publish.PublishPlanner;
import dev.cdnpub.publish.PublishResult;
import dev.cdnpub.publish.Publisher;
import dev.cdnpub.publish.ReleaseVersion;
import dev.cdnpub.store.LocalObjectStore;
import dev.cdnpub.store.ObjectStore;
import dev.cdnpub.store.S3ObjectStore;
import dev.cdnpub.testing.InterruptingStore;
import dev.cdnpub.testing.S3ProxyServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Publish benchmark: times planning (hashing) and publishing of a synthetic library folder to the
 * local store and to S3Proxy on loopback, at several upload concurrencies, and counts the requests
 * each publish makes. Also times the no-op re-publish of a sealed version and the resume of a
 * publish interrupted after half its file writes. See docs/benchmarks.md; run with
 * scripts/bench-publish.
 *
 * <p>Every loop is bounded by the options; a watchdog halts the JVM after {@code --max-seconds}.
 * All data lives in one temporary folder that is deleted at the end; the only server is S3Proxy on
 * 127.0.0.1, started and stopped here.
 */
public final class PublishBenchmark {
  static final String LIBRARY = "benchlib";
  static final long KIB = 1024;
  static final long MIB = 1024 * 1024;

  /**
   * Refuse data sets larger than this: source + a published copy + multipart parts must fit ~500
   * MB.
   */
  static final long MAX_DATASET_BYTES = 200 * MIB;

  static final class Options {
    int files = 200;
    long size = 20 * KIB;
    int largeFiles = 2;
    long largeSize = 80 * MIB;
    long threshold = 64 * MIB;
    int reps = 5;
    int warmup = 1;
    int[] concurrency = {1, 4, 16};
    List<String> stores = List.of("local", "s3proxy");
    Path out = Path.of("target/bench/publish.json");
    long maxSeconds = 1800;
    boolean quick;

    static final List<String> VALUE_FLAGS =
        List.of(
            "--files",
            "--size",
            "--large-files",
            "--large-size",
            "--threshold",
            "--reps",
            "--warmup",
            "--concurrency",
            "--stores",
            "--out",
            "--max-seconds");

    static Options parse(String[] args) {
      Options o = new Options();
      // --quick first, so that explicit flags given with it still win.
      if (Arrays.asList(args).contains("--quick")) {
        o.quick = true;
        o.files = 20;
        o.size = 2 * KIB;
        o.largeSize = 6 * MIB;
        o.threshold = 5 * MIB; // smallest allowed, so the multipart path still runs on tiny data
        o.reps = 1;
        o.warmup = 0;
        o.maxSeconds = 120;
      }
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        if (a.equals("--quick")) {
          continue;
        }
        if (a.equals("-h") || a.equals("--help")) {
          System.out.println(usage());
          System.exit(0);
        }
        if (!VALUE_FLAGS.contains(a)) {
          throw new IllegalArgumentException("unknown option " + a + "\n" + usage());
        }
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException("missing value after " + a + "\n" + usage());
        }
        String v = args[++i];
        switch (a) {
          case "--files" -> o.files = Integer.parseInt(v);
          case "--size" -> o.size = bytes(v);
          case "--large-files" -> o.largeFiles = Integer.parseInt(v);
          case "--large-size" -> o.largeSize = bytes(v);
          case "--threshold" -> o.threshold = bytes(v);
          case "--reps" -> o.reps = Integer.parseInt(v);
          case "--warmup" -> o.warmup = Integer.parseInt(v);
          case "--concurrency" ->
              o.concurrency =
                  Arrays.stream(v.split(",")).mapToInt(s -> Integer.parseInt(s.trim())).toArray();
          case "--stores" -> o.stores = List.of(v.split(","));
          case "--out" -> o.out = Path.of(v);
          case "--max-seconds" -> o.maxSeconds = Long.parseLong(v);
          default -> throw new IllegalArgumentException("unknown option " + a + "\n" + usage());
        }
      }
      check(o.files >= 0 && o.files <= 100_000, "--files must be 0..100000");
      check(o.largeFiles >= 0 && o.largeFiles <= 100, "--large-files must be 0..100");
      check(o.files + o.largeFiles > 0, "nothing to publish");
      check(o.size >= 0 && o.largeSize >= 0, "sizes must not be negative");
      check(o.reps >= 1 && o.reps <= 100, "--reps must be 1..100");
      check(o.warmup >= 0 && o.warmup <= 10, "--warmup must be 0..10");
      check(
          o.concurrency.length > 0
              && Arrays.stream(o.concurrency).allMatch(c -> c >= 1 && c <= 256),
          "--concurrency values must be 1..256");
      check(
          o.stores.stream().allMatch(s -> s.equals("local") || s.equals("s3proxy")),
          "--stores is a list of local,s3proxy");
      check(o.threshold >= S3ObjectStore.MIN_PART_SIZE, "--threshold must be at least 5MiB");
      check(o.maxSeconds >= 10 && o.maxSeconds <= 6 * 3600, "--max-seconds must be 10..21600");
      long dataset = o.files * o.size + o.largeFiles * o.largeSize;
      check(
          dataset <= MAX_DATASET_BYTES,
          "the data set ("
              + dataset / MIB
              + " MiB) exceeds "
              + MAX_DATASET_BYTES / MIB
              + " MiB; disk use is kept bounded");
      return o;
    }

    static String usage() {
      return "usage: bench-publish [--quick] [--files N] [--size BYTES] [--large-files N] [--large-size BYTES]\n"
          + "         [--threshold BYTES] [--reps N] [--warmup N] [--concurrency 1,4,16]\n"
          + "         [--stores local,s3proxy] [--out FILE] [--max-seconds N]\n"
          + "  sizes take a KiB/MiB suffix (20KiB, 80MiB); defaults: 200 x 20KiB, 2 x 80MiB, threshold 64MiB,\n"
          + "  5 reps after 1 warm-up, out target/bench/publish.json. --quick: 20 x 2KiB, 2 x 6MiB with a 5MiB\n"
          + "  threshold, 1 rep, no warm-up.";
    }

    private static void check(boolean ok, String message) {
      if (!ok) {
        throw new IllegalArgumentException(message);
      }
    }
  }

  static long bytes(String text) {
    var m =
        java.util.regex.Pattern.compile("(\\d+)\\s*(|B|K|KiB|M|MiB|G|GiB)").matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "not a size: " + text + " (give bytes, or e.g. 20KiB, 80MiB)");
    }
    long unit =
        switch (m.group(2)) {
          case "K", "KiB" -> KIB;
          case "M", "MiB" -> MIB;
          case "G", "GiB" -> 1024 * MIB;
          default -> 1;
        };
    return Long.parseLong(m.group(1)) * unit;
  }

  /** One measured run: what was timed and what it cost. */
  record Sample(
      long planNanos,
      long publishNanos,
      Map<String, Integer> storeCalls,
      Map<String, Integer> http) {}

  /** Samples of one (scenario, store, concurrency, kind). */
  static final class Series {
    final String scenario;
    final String store;
    final int concurrency;
    final String kind;
    final int fileCount;
    final long bytes;
    final List<Sample> samples = new ArrayList<>();

    Series(String scenario, String store, int concurrency, String kind, int fileCount, long bytes) {
      this.scenario = scenario;
      this.store = store;
      this.concurrency = concurrency;
      this.kind = kind;
      this.fileCount = fileCount;
      this.bytes = bytes;
    }

    double[] planMs() {
      return samples.stream().mapToDouble(s -> s.planNanos / 1e6).sorted().toArray();
    }

    double[] publishMs() {
      return samples.stream().mapToDouble(s -> s.publishNanos / 1e6).sorted().toArray();
    }

    /** Whether every sample made the same requests (they should: the counts are deterministic). */
    boolean countsStable() {
      return samples.stream()
              .map(s -> List.of(s.storeCalls, s.http == null ? Map.of() : s.http))
              .distinct()
              .count()
          <= 1;
    }
  }

  static double median(double[] sorted) {
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  /** A store to publish into, fresh for one trial, and how to get rid of it. */
  interface Target extends AutoCloseable {
    ObjectStore store();

    /** HTTP request counts since the last call, or null for a store without HTTP. */
    Map<String, Integer> http();

    @Override
    void close();
  }

  private final Options options;
  private final Path root;
  private final List<Series> results = new ArrayList<>();
  private S3ProxyServer server;
  private int versionCounter;
  private final Clock clock = Clock.systemUTC();

  PublishBenchmark(Options options, Path root) {
    this.options = options;
    this.root = root;
  }

  public static void main(String[] args) throws Exception {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("bench-publish: " + e.getMessage());
      System.exit(2);
      return;
    }
    startWatchdog(options.maxSeconds);
    String loadBefore = loadAverage();
    System.out.println(
        "load average before: "
            + loadBefore
            + " ("
            + Runtime.getRuntime().availableProcessors()
            + " CPUs)");
    Path root = Files.createTempDirectory("cdnpub-bench");
    long started = System.nanoTime();
    PublishBenchmark bench = new PublishBenchmark(options, root);
    try {
      bench.run();
    } finally {
      bench.stopServer();
      deleteTree(root);
    }
    String loadAfter = loadAverage();
    bench.printTable();
    System.out.println();
    System.out.println(
        "load average before: "
            + loadBefore
            + ", after: "
            + loadAfter
            + " (other processes competing for the CPUs make every number slower and noisier)");
    bench.writeJson((System.nanoTime() - started) / 1e9, loadBefore, loadAfter);
    System.out.printf(
        Locale.ROOT,
        "%nwrote %s (%.0f s in all)%n",
        options.out,
        (System.nanoTime() - started) / 1e9);
  }

  private static void startWatchdog(long seconds) {
    Thread t =
        new Thread(
            () -> {
              try {
                Thread.sleep(seconds * 1000);
              } catch (InterruptedException e) {
                return;
              }
              System.err.println(
                  "bench-publish: still running after "
                      + seconds
                      + " s; halting (raise --max-seconds?)");
              Runtime.getRuntime().halt(3);
            },
            "bench-watchdog");
    t.setDaemon(true);
    t.start();
  }

  void run() throws Exception {
    record Scenario(String name, int files, long size) {}
    List<Scenario> scenarios = new ArrayList<>();
    if (options.files > 0) {
      scenarios.add(new Scenario("small", options.files, options.size));
    }
    if (options.largeFiles > 0) {
      scenarios.add(new Scenario("large", options.largeFiles, options.largeSize));
    }
    if (options.stores.contains("s3proxy")) {
      server = new S3ProxyServer();
    }
    for (Scenario sc : scenarios) {
      Path dir = root.resolve("library-" + sc.name);
      long t0 = System.nanoTime();
      generate(dir, sc.name, sc.files, sc.size);
      System.out.printf(
          Locale.ROOT,
          "scenario %s: %d files x %s = %s, generated in %.1f s%n",
          sc.name,
          sc.files,
          human(sc.size),
          human(sc.files * sc.size),
          (System.nanoTime() - t0) / 1e9);
      long total = sc.files * sc.size;
      for (String storeKind : options.stores) {
        for (int c : options.concurrency) {
          Series publish = new Series(sc.name, storeKind, c, "publish", sc.files, total);
          Series noop = new Series(sc.name, storeKind, c, "noop", sc.files, total);
          Series interrupted = new Series(sc.name, storeKind, c, "interrupted", sc.files, total);
          Series resume = new Series(sc.name, storeKind, c, "resume", sc.files, total);
          for (int rep = -options.warmup; rep < options.reps; rep++) {
            boolean measured = rep >= 0;
            try (Target target = newTarget(storeKind)) {
              publishThenNoop(target, dir, c, measured ? publish : null, measured ? noop : null);
            }
            try (Target target = newTarget(storeKind)) {
              interruptThenResume(
                  target, dir, c, measured ? interrupted : null, measured ? resume : null);
            }
          }
          results.addAll(List.of(publish, noop, interrupted, resume));
          double med = median(publish.publishMs());
          System.out.printf(
              Locale.ROOT,
              "  %-7s c=%-3d publish median %9.1f ms (%.1f MiB/s), no-op %.1f ms, resume %.1f ms%n",
              storeKind,
              c,
              med,
              total / (double) MIB / (med / 1000),
              median(noop.publishMs()),
              median(resume.publishMs()));
        }
      }
      deleteTree(dir);
    }
  }

  /** A fresh version into an empty store, then the same version again (the no-op path). */
  private void publishThenNoop(
      Target target, Path dir, int concurrency, Series publish, Series noop) {
    CountingStore counting = new CountingStore(target.store());
    ReleaseVersion version = nextVersion();
    gc();
    long t0 = System.nanoTime();
    PublishPlan plan = PublishPlanner.plan(dir, LIBRARY, version, false);
    long t1 = System.nanoTime();
    counting.snapshotAndReset();
    target.http();
    PublishResult result =
        new Publisher(counting, clock, concurrency, PublishListener.NONE).publish(plan);
    long t2 = System.nanoTime();
    expect(
        result.status() == PublishResult.Status.PUBLISHED
            && result.uploaded() == plan.files().size(),
        "fresh publish: " + result);
    Sample first = new Sample(t1 - t0, t2 - t1, counting.snapshotAndReset(), target.http());

    long t3 = System.nanoTime();
    PublishPlan again = PublishPlanner.plan(dir, LIBRARY, version, false);
    long t4 = System.nanoTime();
    counting.snapshotAndReset();
    target.http();
    PublishResult repeat =
        new Publisher(counting, clock, concurrency, PublishListener.NONE).publish(again);
    long t5 = System.nanoTime();
    expect(repeat.status() == PublishResult.Status.ALREADY_PUBLISHED, "re-publish: " + repeat);
    Sample second = new Sample(t4 - t3, t5 - t4, counting.snapshotAndReset(), target.http());
    if (publish != null) {
      publish.samples.add(first);
      noop.samples.add(second);
    }
  }

  /**
   * A publish that loses its connection after the claim and half of the file writes, then the
   * re-run that finishes it. The wrapper refuses writes before they reach the counter, so the
   * counts are the requests that really went out.
   */
  private void interruptThenResume(
      Target target, Path dir, int concurrency, Series interrupted, Series resume) {
    CountingStore counting = new CountingStore(target.store());
    ReleaseVersion version = nextVersion();
    gc();
    long t0 = System.nanoTime();
    PublishPlan plan = PublishPlanner.plan(dir, LIBRARY, version, false);
    long t1 = System.nanoTime();
    int n = plan.files().size();
    counting.snapshotAndReset();
    target.http();
    boolean failed = false;
    try {
      new Publisher(
              new InterruptingStore(counting, 1 + n / 2), clock, concurrency, PublishListener.NONE)
          .publish(plan);
    } catch (CdnpubException e) {
      failed = true;
    }
    long t2 = System.nanoTime();
    expect(failed, "the interrupted publish did not fail");
    Sample cut = new Sample(t1 - t0, t2 - t1, counting.snapshotAndReset(), target.http());
    expect(
        cut.storeCalls.get("create") == 1 + n / 2, "interrupted publish wrote " + cut.storeCalls);

    long t3 = System.nanoTime();
    PublishPlan again = PublishPlanner.plan(dir, LIBRARY, version, false);
    long t4 = System.nanoTime();
    counting.snapshotAndReset();
    target.http();
    PublishResult result =
        new Publisher(counting, clock, concurrency, PublishListener.NONE).publish(again);
    long t5 = System.nanoTime();
    expect(
        result.status() == PublishResult.Status.PUBLISHED
            && result.alreadyPresent() == n / 2
            && result.uploaded() == n - n / 2,
        "resume: " + result);
    Sample finish = new Sample(t4 - t3, t5 - t4, counting.snapshotAndReset(), target.http());
    if (interrupted != null) {
      interrupted.samples.add(cut);
      resume.samples.add(finish);
    }
  }

  private ReleaseVersion nextVersion() {
    return ReleaseVersion.parse("1.0." + (++versionCounter));
  }

  private static void gc() {
    System.gc();
  }

  private static void expect(boolean ok, String what) {
    if (!ok) {
      throw new IllegalStateException("benchmark sanity check failed: " + what);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Stores

  private Target newTarget(String kind) throws IOException {
    if (kind.equals("local")) {
      Path dir = Files.createTempDirectory(root, "local-store");
      LocalObjectStore store = new LocalObjectStore(dir);
      return new Target() {
        public ObjectStore store() {
          return store;
        }

        public Map<String, Integer> http() {
          return null;
        }

        public void close() {
          store.close();
          deleteTree(dir);
        }
      };
    }
    String bucket = server.newBucket();
    HttpCounter counter = new HttpCounter();
    URI endpoint = server.endpoint();
    long partSize = Math.max(S3ObjectStore.MIN_PART_SIZE, Math.min(16 * MIB, options.threshold));
    S3ObjectStore store =
        new S3ObjectStore(
            countingClient(endpoint, counter),
            bucket,
            endpoint.toString(),
            options.threshold,
            partSize);
    return new Target() {
      public ObjectStore store() {
        return store;
      }

      public Map<String, Integer> http() {
        return counter.snapshotAndReset();
      }

      public void close() {
        store.close();
        emptyAndDeleteBucket(bucket);
      }
    };
  }

  /** {@link S3ObjectStore#r2Client}'s exact settings plus an interceptor that counts requests. */
  static S3Client countingClient(URI endpoint, HttpCounter counter) {
    var builder =
        S3ObjectStore.r2ClientBuilder(endpoint, S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY);
    // overrideConfiguration(...) replaces the whole configuration: add to cdnpub's, keeping its
    // timeouts
    return builder
        .overrideConfiguration(
            builder.overrideConfiguration().toBuilder().addExecutionInterceptor(counter).build())
        .build();
  }

  private void emptyAndDeleteBucket(String bucket) {
    try (S3Client s3 = server.client()) {
      for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(bucket)).contents()) {
        s3.deleteObject(b -> b.bucket(bucket).key(o.key()));
      }
      s3.deleteBucket(b -> b.bucket(bucket));
    } catch (RuntimeException e) {
      // S3Proxy's folder is deleted when it stops; only disk use until then is at stake.
      System.err.println("warning: could not delete bucket " + bucket + ": " + e.getMessage());
    }
  }

  private void stopServer() throws Exception {
    if (server != null) {
      server.close();
      server = null;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Data

  /**
   * Writes {@code count} files of {@code size} random (incompressible, distinct) bytes below dir.
   */
  static void generate(Path dir, String scenario, int count, long size) throws IOException {
    String[] ext = {"js", "js", "js", "css", "map", "json"};
    byte[] buffer = new byte[(int) Math.min(size, 1 << 20)];
    for (int i = 0; i < count; i++) {
      String rel =
          scenario.equals("large")
              ? "assets/large-" + i + ".wasm"
              : "dist/part-"
                  + (i % 10)
                  + "/file-"
                  + String.format(Locale.ROOT, "%05d", i)
                  + "."
                  + ext[i % ext.length];
      Path p = dir.resolve(rel);
      Files.createDirectories(p.getParent());
      SplittableRandom random = new SplittableRandom(0x5eed + i * 7919L + size);
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

  static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("warning: could not delete " + dir + ": " + e.getMessage());
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Output

  static String human(long bytes) {
    if (bytes >= MIB && bytes % (MIB / 10) == 0 || bytes >= 10 * MIB) {
      return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) MIB);
    }
    if (bytes >= KIB) {
      return String.format(Locale.ROOT, "%.1f KiB", bytes / (double) KIB);
    }
    return bytes + " B";
  }

  /** "202 create (0 existing), 1 read (1 missing), 0 stat, 0 list" */
  static String storeCalls(Map<String, Integer> c) {
    return c.get("create")
        + " create"
        + (c.get("create.exists") > 0 ? " (" + c.get("create.exists") + " existed)" : "")
        + ", "
        + c.get("read")
        + " read"
        + (c.get("read.miss") > 0 ? " (" + c.get("read.miss") + " missing)" : "")
        + ", "
        + c.get("stat")
        + " stat, "
        + c.get("list")
        + " list";
  }

  /** "PutObject 202 (412: 101), GetObject 1 (404: 1) = A 202 / B 1" */
  static String httpCalls(Map<String, Integer> h) {
    StringBuilder b = new StringBuilder();
    h.forEach(
        (op, n) -> {
          if (op.contains(" ")) {
            return;
          }
          if (b.length() > 0) {
            b.append(", ");
          }
          b.append(op).append(' ').append(n);
          List<String> statuses = new ArrayList<>();
          h.forEach(
              (k, m) -> {
                if (k.startsWith(op + " ")) {
                  statuses.add(k.substring(op.length() + 1) + ": " + m);
                }
              });
          if (!statuses.isEmpty()) {
            b.append(" (").append(String.join(", ", statuses)).append(')');
          }
        });
    Map<String, Integer> cls = HttpCounter.classes(h);
    return b
        + " = class A "
        + cls.get("A")
        + ", class B "
        + cls.get("B")
        + (cls.get("other") > 0 ? ", other " + cls.get("other") : "");
  }

  void printTable() {
    System.out.println();
    System.out.printf(
        Locale.ROOT,
        "Times in ms: median [min-max] of %d reps after %d warm-up; files/s and MiB/s from the median.%n",
        options.reps,
        options.warmup);
    String header =
        String.format(
            Locale.ROOT,
            "%-6s %-8s %4s %-11s %22s %24s %9s %8s",
            "set",
            "store",
            "conc",
            "run",
            "plan (hash) ms",
            "publish ms",
            "files/s",
            "MiB/s");
    System.out.println(header);
    System.out.println("-".repeat(header.length()));
    for (Series s : results) {
      double[] plan = s.planMs();
      double[] pub = s.publishMs();
      double med = median(pub);
      boolean rate = s.kind.equals("publish");
      System.out.printf(
          Locale.ROOT,
          "%-6s %-8s %4d %-11s %22s %24s %9s %8s%n",
          s.scenario,
          s.store,
          s.concurrency,
          s.kind,
          range(plan),
          range(pub),
          rate ? String.format(Locale.ROOT, "%.0f", s.fileCount / (med / 1000)) : "",
          rate ? String.format(Locale.ROOT, "%.1f", s.bytes / (double) MIB / (med / 1000)) : "");
    }
    System.out.println();
    System.out.println("Requests per run (identical at every concurrency unless marked):");
    Map<String, List<Series>> byRun = new LinkedHashMap<>();
    for (Series s : results) {
      byRun
          .computeIfAbsent(s.scenario + " " + s.store + " " + s.kind, k -> new ArrayList<>())
          .add(s);
    }
    byRun.forEach(
        (key, list) -> {
          boolean same = list.stream().map(PublishBenchmark::countsLine).distinct().count() == 1;
          for (Series s : same ? list.subList(0, 1) : list) {
            System.out.printf(
                Locale.ROOT,
                "  %-26s %s%s%n",
                key + (same ? "" : " c=" + s.concurrency),
                countsLine(s),
                s.countsStable() ? "" : " (varied between reps; last shown)");
          }
        });
  }

  static String countsLine(Series s) {
    Sample last = s.samples.get(s.samples.size() - 1);
    return s.fileCount
        + " files: "
        + storeCalls(last.storeCalls)
        + (last.http == null ? "" : "; HTTP " + httpCalls(last.http));
  }

  static String range(double[] sorted) {
    return String.format(
        Locale.ROOT, "%.1f [%.1f-%.1f]", median(sorted), sorted[0], sorted[sorted.length - 1]);
  }

  /** The 1, 5 and 15 minute load averages from /proc/loadavg, or "unknown". */
  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  void writeJson(double seconds, String loadBefore, String loadAfter) throws IOException {
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode root = mapper.createObjectNode();
    root.put("benchmark", "cdnpub publish");
    root.put("date", Instant.now().toString());
    root.put("commit", System.getProperty("bench.commit", "unknown"));
    root.put("seconds", Math.round(seconds));
    ObjectNode env = root.putObject("machine");
    env.put("availableProcessors", Runtime.getRuntime().availableProcessors());
    env.put("maxHeapMiB", Runtime.getRuntime().maxMemory() / MIB);
    env.put(
        "java",
        System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
    env.put("loadAverageBefore", loadBefore);
    env.put("loadAverageAfter", loadAfter);
    env.put(
        "os",
        System.getProperty("os.name")
            + " "
            + System.getProperty("os.version")
            + " "
            + System.getProperty("os.arch"));
    ObjectNode opts = root.putObject("options");
    opts.put("quick", options.quick);
    opts.put("files", options.files);
    opts.put("size", options.size);
    opts.put("largeFiles", options.largeFiles);
    opts.put("largeSize", options.largeSize);
    opts.put("multipartThreshold", options.threshold);
    opts.put(
        "partSize", Math.max(S3ObjectStore.MIN_PART_SIZE, Math.min(16 * MIB, options.threshold)));
    opts.put("reps", options.reps);
    opts.put("warmup", options.warmup);
    ArrayNode conc = opts.putArray("concurrency");
    Arrays.stream(options.concurrency).forEach(conc::add);
    ArrayNode stores = opts.putArray("stores");
    options.stores.forEach(stores::add);
    ArrayNode out = root.putArray("results");
    for (Series s : results) {
      ObjectNode r = out.addObject();
      r.put("scenario", s.scenario);
      r.put("store", s.store);
      r.put("concurrency", s.concurrency);
      r.put("run", s.kind);
      r.put("files", s.fileCount);
      r.put("bytes", s.bytes);
      stats(r.putObject("planMs"), s.planMs());
      stats(r.putObject("publishMs"), s.publishMs());
      double med = median(s.publishMs());
      if (s.kind.equals("publish")) {
        r.put("filesPerSecond", round(s.fileCount / (med / 1000)));
        r.put("mibPerSecond", round(s.bytes / (double) MIB / (med / 1000)));
      }
      r.put("planMibPerSecond", round(s.bytes / (double) MIB / (median(s.planMs()) / 1000)));
      Sample last = s.samples.get(s.samples.size() - 1);
      r.set("storeCalls", mapper.valueToTree(last.storeCalls));
      if (last.http != null) {
        r.set("httpRequests", mapper.valueToTree(last.http));
        r.set("r2Classes", mapper.valueToTree(HttpCounter.classes(last.http)));
      }
      r.put("countsStable", s.countsStable());
    }
    Path parent = options.out.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    mapper.writeValue(options.out.toFile(), root);
  }

  private static void stats(ObjectNode node, double[] sorted) {
    node.put("median", round(median(sorted)));
    node.put("min", round(sorted[0]));
    node.put("max", round(sorted[sorted.length - 1]));
    ArrayNode all = node.putArray("samples");
    for (double d : sorted) {
      all.add(round(d));
    }
  }

  private static double round(double d) {
    return Math.round(d * 100) / 100.0;
  }
}
