package dev.cdnpub.publish;

import dev.cdnpub.core.CdnpubException;
import dev.cdnpub.core.ExitCode;
import dev.cdnpub.core.KeyRules;
import dev.cdnpub.core.Threads;
import dev.cdnpub.store.Digests;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.Provider;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Turns a build folder, library and version into a {@link PublishPlan}; reads files, writes
 * nothing.
 */
public final class PublishPlanner {
  /** How many offending files a refusal names before it gives only a count. */
  static final int NAMES_SHOWN = 5;

  private PublishPlanner() {}

  public static PublishPlan plan(
      Path dir, String library, ReleaseVersion version, boolean includeHidden) {
    return plan(DirectoryScanner.scan(dir, includeHidden), library, version);
  }

  /** As {@link #plan(Path, String, ReleaseVersion, boolean)}, from a folder already scanned. */
  public static PublishPlan plan(List<SourceFile> sources, String library, ReleaseVersion version) {
    List<String> names = checkNames(sources, library, version);
    Digests.FileDigests[] digests = hashAll(sources);
    List<PlannedFile> files = new ArrayList<>(sources.size());
    long total = 0;
    for (int i = 0; i < sources.size(); i++) {
      SourceFile source = sources.get(i);
      String name = names.get(i);
      Digests.FileDigests d = digests[i];
      files.add(
          new PlannedFile(
              name,
              source.path(),
              Keys.file(library, version, name),
              d.size(),
              ContentTypes.forPath(name),
              d.sha256Hex(),
              "sha384-" + d.sha384Base64(),
              d.md5Base64()));
      total += d.size();
    }
    return new PublishPlan(
        library,
        version,
        files,
        total,
        digestOf(files),
        Keys.versionPrefix(library, version),
        Keys.claim(library, version),
        Keys.manifest(library, version));
  }

  /**
   * Hashes every file once (SHA-256, SHA-384, MD5 in one read), on all cores: files are hashed in
   * parallel, each by one thread, so a folder of many files (or a no-op re-publish of a large one)
   * takes about 1/cores of the time. The result is in the order of {@code sources}; a file that
   * cannot be read is a usage error, as before.
   */
  static Digests.FileDigests[] hashAll(List<SourceFile> sources) {
    Optional<Provider> provider = Digests.providerFor(SourceFile.totalSize(sources));
    Digests.FileDigests[] digests = new Digests.FileDigests[sources.size()];
    int threads = Math.min(Runtime.getRuntime().availableProcessors(), sources.size());
    if (threads <= 1) {
      for (int i = 0; i < digests.length; i++) {
        digests[i] = hash(sources.get(i), provider);
      }
      return digests;
    }
    // Files are handed out one at a time from a shared counter: a few large files among many small
    // ones still keep every thread busy until the end.
    AtomicInteger next = new AtomicInteger();
    ExecutorService pool = Threads.pool(threads, "cdnpub-hash");
    try {
      List<Future<?>> workers = new ArrayList<>();
      for (int w = 0; w < threads; w++) {
        workers.add(
            pool.submit(
                () -> {
                  for (int i = next.getAndIncrement();
                      i < digests.length;
                      i = next.getAndIncrement()) {
                    digests[i] = hash(sources.get(i), provider);
                  }
                }));
      }
      for (Future<?> worker : workers) {
        worker.get();
      }
      return digests;
    } catch (ExecutionException e) {
      next.set(digests.length); // the other workers stop after their current file
      throw e.getCause() instanceof CdnpubException c
          ? c
          : new CdnpubException(ExitCode.INTERNAL, "hashing failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CdnpubException(ExitCode.INTERNAL, "interrupted while hashing", e);
    } finally {
      pool.shutdownNow();
    }
  }

  private static Digests.FileDigests hash(SourceFile source, Optional<Provider> provider) {
    try {
      return Digests.ofFile(source.path(), provider);
    } catch (IOException e) {
      throw new CdnpubException(
          ExitCode.USAGE, "cannot read " + source.path() + ": " + e.getMessage(), e);
    }
  }

  /**
   * The name each file is published under (its relative path in Unicode NFC), in the order of
   * {@code sources}; or one usage error naming every file that breaks {@link KeyRules} or collides
   * with another after normalisation (also by case alone: the local store may live on a
   * case-insensitive file system), so that nothing is claimed for a release that could not seal.
   */
  static List<String> checkNames(List<SourceFile> sources, String library, ReleaseVersion version) {
    List<String> names = new ArrayList<>(sources.size());
    List<String> problems = new ArrayList<>();
    Map<String, String> seen = new HashMap<>();
    for (SourceFile source : sources) {
      String name = KeyRules.nfc(source.relativePath());
      names.add(name);
      String problem = KeyRules.problem(name);
      if (problem == null && KeyRules.problem(Keys.file(library, version, name)) != null) {
        problem =
            "makes a key longer than "
                + KeyRules.MAX_KEY_BYTES
                + " bytes under "
                + Keys.versionPrefix(library, version);
      }
      String other = seen.putIfAbsent(name.toLowerCase(Locale.ROOT), source.relativePath());
      if (problem == null && other != null) {
        problem =
            other.equals(name) || KeyRules.nfc(other).equals(name)
                ? "is the same name as " + printable(other) + " once Unicode-normalised"
                : "differs from " + printable(other) + " only in case";
      }
      if (problem != null) {
        problems.add(printable(source.relativePath()) + " " + problem);
      }
    }
    if (!problems.isEmpty()) {
      String shown = String.join("; ", problems.subList(0, Math.min(NAMES_SHOWN, problems.size())));
      String more =
          problems.size() > NAMES_SHOWN ? "; and " + (problems.size() - NAMES_SHOWN) + " more" : "";
      throw CdnpubException.usage(
          problems.size()
              + (problems.size() == 1 ? " file name" : " file names")
              + " cannot be published (nothing was written; rename "
              + (problems.size() == 1 ? "it" : "them")
              + "): "
              + shown
              + more
              + ".");
    }
    return names;
  }

  /** A name as it can be shown on one line: control characters escaped, long names cut. */
  static String printable(String name) {
    StringBuilder b = new StringBuilder("'");
    name.codePoints()
        .limit(120)
        .forEach(
            c -> {
              int type = Character.getType(c);
              if (type == Character.CONTROL
                  || type == Character.FORMAT
                  || type == Character.SURROGATE) {
                b.append(String.format(Locale.ROOT, "\\u%04X", c));
              } else {
                b.appendCodePoint(c);
              }
            });
    return b.append(name.codePointCount(0, name.length()) > 120 ? "…'" : "'").toString();
  }

  /**
   * The file set's identity: SHA-256 over "path NUL size NUL sha256 LF" for each file in path
   * order. Content types are left out on purpose, so that a later cdnpub with a corrected type
   * table can still resume or confirm a release made by an earlier one.
   */
  static String digestOf(List<PlannedFile> files) {
    MessageDigest sha = Digests.digest("SHA-256");
    for (PlannedFile f : files) {
      sha.update(
          (f.path() + "\0" + f.size() + "\0" + f.sha256() + "\n").getBytes(StandardCharsets.UTF_8));
    }
    return "sha256:" + HexFormat.of().formatHex(sha.digest());
  }
}
