package dev.cdnpub.publish;

import dev.cdnpub.core.CdnpubException;
import dev.cdnpub.core.ExitCode;
import dev.cdnpub.store.Digests;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Turns a build folder, library and version into a {@link PublishPlan}; reads files, writes nothing. */
public final class PublishPlanner {
  /** S3 and R2 refuse keys longer than this many bytes. */
  static final int MAX_KEY_BYTES = 1024;

  private PublishPlanner() {}

  public static PublishPlan plan(Path dir, String library, ReleaseVersion version, boolean includeHidden) {
    List<SourceFile> sources = DirectoryScanner.scan(dir, includeHidden);
    List<PlannedFile> files = new ArrayList<>(sources.size());
    long total = 0;
    for (SourceFile source : sources) {
      String key = Keys.file(library, version, source.relativePath());
      if (key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
        throw CdnpubException.usage(
            "the key for " + source.relativePath() + " is longer than R2's 1024 bytes; shorten the path.");
      }
      Digests.FileDigests d;
      try {
        d = Digests.ofFile(source.path());
      } catch (IOException e) {
        throw new CdnpubException(ExitCode.USAGE, "cannot read " + source.path() + ": " + e.getMessage(), e);
      }
      files.add(
          new PlannedFile(
              source.relativePath(),
              source.path(),
              key,
              d.size(),
              ContentTypes.forPath(source.relativePath()),
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
   * The file set's identity: SHA-256 over "path NUL size NUL sha256 LF" for each file in path order.
   * Content types are left out on purpose, so that a later cdnpub with a corrected type table can
   * still resume or confirm a release made by an earlier one.
   */
  static String digestOf(List<PlannedFile> files) {
    MessageDigest sha = Digests.digest("SHA-256");
    for (PlannedFile f : files) {
      sha.update((f.path() + "\0" + f.size() + "\0" + f.sha256() + "\n").getBytes(StandardCharsets.UTF_8));
    }
    return "sha256:" + HexFormat.of().formatHex(sha.digest());
  }
}
