package dev.cdnpub.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cdnpub.core.KeyRules;
import dev.cdnpub.store.LocalObjectStore;
import dev.cdnpub.store.ObjectStore;
import dev.cdnpub.testing.CliRun;
import dev.cdnpub.testing.S3ProxyServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "The plan accepts it" implies "it seals": generated file names and versions go through the whole
 * CLI onto the local store and S3Proxy. Accepted means the release seals, {@code versions} lists it
 * and every stored byte is the file's; refused means exit 2 and nothing written at all. A seeded
 * generator of our own (set -Dcdnpub.seed=N to replay a failure; the seed is in every message).
 */
class PlanSealsPropertyTest {
  static final long SEED = Long.getLong("cdnpub.seed", 20261201L);

  /** Pieces that names are made of: ordinary, unusual, and every kind the rule refuses. */
  static final String[] PIECES = {
    "a",
    "loader",
    "x1",
    "-",
    "_",
    ".",
    "~",
    "+",
    "[id]",
    "(1)",
    "a b",
    " ",
    "\u00e9",
    "e\u0301",
    "\u65e5\u672c",
    "\uD83D\uDE00",
    "A",
    "\u00a0",
    "\\",
    "?",
    "#",
    "%",
    "%20",
    "\u0007",
    "\t",
    "\u007f",
    "\u0085",
    "\u200b",
    "\u202e",
    "\ufeff",
    "\ufffd",
  };

  @TempDir Path work;

  record Trial(Map<String, byte[]> files, String version) {}

  static String segment(Random r) {
    StringBuilder b = new StringBuilder();
    if (r.nextInt(12) == 0) {
      b.append("a".repeat(100 + r.nextInt(156))); // long, up to the 255 bytes a disk allows
    }
    int pieces = 1 + r.nextInt(3);
    for (int i = 0; i < pieces; i++) {
      b.append(r.nextInt(3) == 0 ? PIECES[r.nextInt(PIECES.length)] : PIECES[r.nextInt(4)]);
    }
    String s = b.toString();
    if (s.getBytes(StandardCharsets.UTF_8).length > 255 || s.equals(".") || s.equals("..")) {
      return "f" + r.nextInt(1000);
    }
    return s + (r.nextBoolean() ? ".js" : "");
  }

  static String version(Random r) {
    Function<Integer, String> number =
        digits -> {
          if (r.nextInt(6) == 0) {
            return "0";
          }
          StringBuilder b = new StringBuilder().append(1 + r.nextInt(9));
          for (int i = 1; i < digits; i++) {
            b.append(r.nextInt(10));
          }
          return b.toString();
        };
    int big = r.nextInt(10) == 0 ? 10 : 1 + r.nextInt(3);
    String v =
        number.apply(big)
            + "."
            + number.apply(1 + r.nextInt(2))
            + "."
            + number.apply(1 + r.nextInt(2));
    switch (r.nextInt(6)) {
      case 0 -> v += "-beta." + number.apply(1 + r.nextInt(20));
      case 1 -> v += "-" + "rc".repeat(1 + r.nextInt(70));
      case 2 -> v += "+build." + r.nextInt(9);
      default -> {}
    }
    return v;
  }

  static Trial trial(Random r) {
    Map<String, byte[]> files = new LinkedHashMap<>();
    int count = 1 + r.nextInt(4);
    for (int i = 0; i < count; i++) {
      int depth = r.nextInt(8) == 0 ? 5 : 1 + r.nextInt(2);
      List<String> segments = new ArrayList<>();
      for (int d = 0; d < depth; d++) {
        segments.add(d < depth - 1 && r.nextBoolean() ? "d" + r.nextInt(3) : segment(r));
      }
      files.put(
          String.join("/", segments), ("content " + r.nextLong()).getBytes(StandardCharsets.UTF_8));
    }
    if (r.nextInt(5) == 0) {
      // A second spelling of a name already there: NFD, or another case.
      String name = files.keySet().iterator().next();
      String twin =
          r.nextBoolean()
              ? Normalizer.normalize(name, Normalizer.Form.NFD)
              : name.toUpperCase(Locale.ROOT);
      files.putIfAbsent(twin, "twin".getBytes(StandardCharsets.UTF_8));
    }
    return new Trial(files, version(r));
  }

  /**
   * Writes the trial's files; false when the file system itself refuses a name (not cdnpub's case).
   */
  static boolean write(Path dir, Trial trial) {
    try {
      for (var e : trial.files().entrySet()) {
        Path file = dir.resolve(e.getKey());
        if (!file.normalize().startsWith(dir)) {
          return false;
        }
        Files.createDirectories(file.getParent());
        if (Files.exists(file)) {
          return false; // two generated names are one file on this file system
        }
        Files.write(file, e.getValue());
      }
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** Where one trial publishes: its flags and environment, and a way to look into the store. */
  interface Target {
    List<String> flags();

    Map<String, String> env();

    ObjectStore open();
  }

  @Test
  void localStore_acceptedSeals_refusedWritesNothing() throws Exception {
    run(
        120,
        i -> {
          Path root = work.resolve("store-" + i);
          return new Target() {
            public List<String> flags() {
              return List.of("--target", "local", "--local-dir", root.toString());
            }

            public Map<String, String> env() {
              return Map.of();
            }

            public ObjectStore open() {
              return new LocalObjectStore(root);
            }
          };
        });
  }

  @Test
  void s3Proxy_acceptedSeals_refusedWritesNothing() throws Exception {
    S3ProxyServer s3 = S3ProxyServer.shared();
    run(
        25,
        i -> {
          String bucket = s3.newBucket();
          return new Target() {
            public List<String> flags() {
              return List.of();
            }

            public Map<String, String> env() {
              return s3.r2Env(bucket);
            }

            public ObjectStore open() {
              return s3.store(bucket, Long.MAX_VALUE);
            }
          };
        });
  }

  private void run(int trials, Function<Integer, Target> targets) throws Exception {
    Random random = new Random(SEED);
    int accepted = 0;
    int refused = 0;
    for (int i = 0; i < trials; i++) {
      Trial trial = trial(random);
      Path dist = work.resolve("dist-" + i);
      Files.createDirectories(dist);
      if (!write(dist, trial)) {
        continue;
      }
      Target target = targets.apply(i);
      String what =
          "seed "
              + SEED
              + ", trial "
              + i
              + ": "
              + trial.files().keySet()
              + " version "
              + trial.version();
      List<String> args =
          new ArrayList<>(
              List.of(
                  "publish",
                  dist.toString(),
                  "--version",
                  trial.version(),
                  "--library",
                  "lib",
                  "--no-aliases",
                  "--include-hidden"));
      args.addAll(target.flags());
      CliRun publish = CliRun.run(work, target.env(), args.toArray(String[]::new));
      try (ObjectStore objects = target.open()) {
        if (publish.exitCode == 0) {
          accepted++;
          List<String> versionsArgs = new ArrayList<>(List.of("versions", "--library", "lib"));
          versionsArgs.addAll(target.flags());
          CliRun versions = CliRun.run(work, target.env(), versionsArgs.toArray(String[]::new));
          String bare =
              trial.version().startsWith("v") ? trial.version().substring(1) : trial.version();
          assertEquals(List.of(bare), versions.firstColumn(), what + "\n" + versions);
          for (var e : trial.files().entrySet()) {
            String key = "v" + bare + "/lib/" + KeyRules.nfc(e.getKey());
            assertArrayEquals(
                e.getValue(),
                objects
                    .read(key)
                    .orElseThrow(() -> new AssertionError(what + ": " + key + " missing")),
                what);
          }
        } else {
          refused++;
          assertEquals(2, publish.exitCode, what + "\n" + publish);
          assertEquals(1, publish.err.lines().count(), what + ": one sentence\n" + publish);
          assertEquals(List.of(), objects.list(""), what + ": nothing written");
        }
      }
    }
    int total = accepted + refused;
    assertTrue(
        total >= trials / 2,
        "seed " + SEED + ": most trials must reach cdnpub: " + total + " of " + trials);
    assertTrue(
        accepted >= total / 5 && refused >= total / 5,
        "seed "
            + SEED
            + ": the generator must produce both kinds: "
            + accepted
            + " accepted, "
            + refused
            + " refused");
  }
}
