package dev.cdnpub.publish;

import dev.cdnpub.core.CdnpubException;
import java.io.IOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;

/**
 * Lists the files of a build folder. Hidden files and folders (name starting with '.') are skipped
 * unless asked for; empty folders contribute nothing; a symbolic link is followed only when its
 * target stays inside the folder, because publishing whatever a link points at (a home directory, a
 * key file) would put it on a public CDN forever.
 */
public final class DirectoryScanner {
  private DirectoryScanner() {}

  public static List<SourceFile> scan(Path dir, boolean includeHidden) {
    if (!Files.isDirectory(dir)) {
      throw CdnpubException.usage(
          Files.exists(dir) ? dir + " is not a folder." : "folder " + dir + " does not exist.");
    }
    Path root;
    try {
      root = dir.toRealPath();
    } catch (IOException e) {
      throw CdnpubException.usage("cannot read folder " + dir + ": " + e.getMessage());
    }
    List<SourceFile> files = new ArrayList<>();
    try {
      Files.walkFileTree(
          root,
          EnumSet.of(FileVisitOption.FOLLOW_LINKS),
          Integer.MAX_VALUE,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs)
                throws IOException {
              if (!d.equals(root) && isHidden(d) && !includeHidden) {
                return FileVisitResult.SKIP_SUBTREE;
              }
              requireInside(root, d);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
              if (isHidden(f) && !includeHidden) {
                return FileVisitResult.CONTINUE;
              }
              requireInside(root, f);
              if (attrs.isRegularFile()) {
                String name = relative(root, f);
                requireReadableName(name);
                files.add(new SourceFile(name, f, attrs.size()));
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path f, IOException e) throws IOException {
              if (e instanceof FileSystemLoopException) {
                throw CdnpubException.usage(
                    "symbolic link "
                        + relative(root, f)
                        + " forms a loop; remove it from "
                        + dir
                        + ".");
              }
              if (Files.isSymbolicLink(f)) {
                throw CdnpubException.usage(
                    "symbolic link "
                        + relative(root, f)
                        + " in "
                        + dir
                        + " points at nothing; remove it.");
              }
              throw e;
            }
          });
    } catch (IOException e) {
      throw CdnpubException.usage("cannot read folder " + dir + ": " + e.getMessage());
    }
    if (files.isEmpty()) {
      throw CdnpubException.usage(
          "folder "
              + dir
              + " holds no files to publish"
              + (includeHidden ? "." : " (hidden files are skipped unless --include-hidden)."));
    }
    files.sort(Comparator.comparing(SourceFile::relativePath));
    return files;
  }

  /**
   * The JVM decodes file names in the locale's character set ({@code sun.jnu.encoding}), and in a
   * POSIX locale (common in CI containers) every byte above 127 becomes an unreadable '?', so
   * {@code café.js} could neither be read nor published under its name. scripts/cdnpub runs the JVM
   * with a UTF-8 locale; anything else that cannot read a name must refuse before the claim.
   */
  private static void requireReadableName(String name) {
    if (!UTF8_NAMES && name.chars().anyMatch(c -> c > 0x7F)) {
      throw CdnpubException.usage(
          "file names are read in this machine's locale ("
              + NAME_ENCODING
              + "), which cannot spell "
              + PublishPlanner.printable(name)
              + "; run cdnpub with a UTF-8 locale (LC_ALL=C.UTF-8, as scripts/cdnpub does).");
    }
  }

  private static final String NAME_ENCODING = System.getProperty("sun.jnu.encoding", "UTF-8");
  private static final boolean UTF8_NAMES =
      NAME_ENCODING.equalsIgnoreCase("UTF-8") || NAME_ENCODING.equalsIgnoreCase("UTF8");

  private static boolean isHidden(Path p) {
    Path name = p.getFileName();
    return name != null && name.toString().startsWith(".");
  }

  private static void requireInside(Path root, Path p) throws IOException {
    // p is the walked path (inside root by construction); its real path differs only through links.
    if (!p.toRealPath().startsWith(root)) {
      throw CdnpubException.usage(
          "symbolic link "
              + relative(root, p)
              + " points outside the folder being published; refusing to publish it.");
    }
  }

  private static String relative(Path root, Path p) {
    return root.relativize(p).toString().replace(p.getFileSystem().getSeparator(), "/");
  }
}
