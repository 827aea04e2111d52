package dev.cdnpub.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Provider;
import java.security.Security;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * SHA-256, SHA-384 and MD5 in native code: NSS through the JDK's own SunPKCS11 provider, when this
 * system has NSS (Debian's and Ubuntu's OpenJDK packages depend on libnss3). cdnpub's launcher runs
 * the JVM with C1 only, where the JDK's Java digests reach ~90 MiB/s (SHA-256) and the three
 * together ~45 MiB/s; NSS does the three at ~140 MiB/s on one core with CPU to spare. Loading it
 * costs ~70 ms once, so {@link Digests} uses it only for enough bytes to repay that. The provider
 * is asked for by name and never installed in the JVM's provider list: TLS, request signing and
 * every other digest keep the JDK's providers. Off with {@code -Dcdnpub.nativeDigests=false}
 * (through {@code CDNPUB_JAVA_OPTS}); absent NSS, or any failure to load it, means the JDK's
 * digests, which give the same results.
 */
public final class NativeDigests {
  private NativeDigests() {}

  /** Folders where NSS's libraries usually live, after those on {@code java.library.path}. */
  private static final List<String> WELL_KNOWN =
      List.of(
          "/usr/lib/x86_64-linux-gnu",
          "/usr/lib/aarch64-linux-gnu",
          "/usr/lib64",
          "/usr/lib",
          "/usr/local/lib",
          "/opt/homebrew/lib");

  private static final class Loaded {
    static final Optional<Provider> PROVIDER =
        Boolean.parseBoolean(System.getProperty("cdnpub.nativeDigests", "true"))
            ? load(candidateFolders())
            : Optional.empty();
  }

  /** The NSS provider, loaded on first use; empty when this system has none or it fails to load. */
  public static Optional<Provider> provider() {
    return Loaded.PROVIDER;
  }

  /** The first folder holding NSS's software token and library, configured; else empty. */
  static Optional<Provider> load(List<Path> folders) {
    Provider base = Security.getProvider("SunPKCS11");
    if (base == null) {
      return Optional.empty();
    }
    for (Path folder : folders) {
      if (!Files.isRegularFile(folder.resolve(System.mapLibraryName("softokn3")))
          || !Files.isRegularFile(folder.resolve(System.mapLibraryName("nss3")))) {
        continue;
      }
      try {
        // noDb: NSS's software token without a key database; nothing is read or written on disk.
        Provider nss =
            base.configure(
                "--name=cdnpub-nss\nnssLibraryDirectory="
                    + folder
                    + "\nnssDbMode=noDb\nattributes=compatibility\n");
        for (String algorithm : List.of("SHA-256", "SHA-384", "MD5")) {
          if (nss.getService("MessageDigest", algorithm) == null) {
            return Optional.empty();
          }
        }
        return Optional.of(nss);
      } catch (RuntimeException | LinkageError e) {
        // a library that does not load or a token that does not start: the JDK's digests then
      }
    }
    return Optional.empty();
  }

  static List<Path> candidateFolders() {
    Set<String> folders = new LinkedHashSet<>();
    for (String entry :
        System.getProperty("java.library.path", "").split(java.io.File.pathSeparator)) {
      if (!entry.isBlank()) {
        folders.add(entry);
      }
    }
    folders.addAll(WELL_KNOWN);
    List<Path> paths = new ArrayList<>();
    for (String folder : folders) {
      paths.add(Path.of(folder));
    }
    return paths;
  }
}
