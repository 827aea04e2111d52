package dev.cdnpub.publish;

import java.nio.file.Path;
import java.util.List;

/**
 * One file found in the build folder: its path relative to the folder (with '/'), on disk, and its
 * size when it was found (the plan's digests read the file itself; the size only sizes the work).
 */
public record SourceFile(String relativePath, Path path, long size) {
  /** The bytes of all of {@code sources}, as found. */
  public static long totalSize(List<SourceFile> sources) {
    long total = 0;
    for (SourceFile source : sources) {
      total += source.size();
    }
    return total;
  }
}
