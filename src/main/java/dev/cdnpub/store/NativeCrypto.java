package dev.cdnpub.store;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Provider;
import java.security.Security;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Digests and TLS's bulk cipher in native code: NSS through the JDK's own SunPKCS11 provider, when
 * this system has NSS (Debian's and Ubuntu's OpenJDK packages depend on libnss3). cdnpub's launcher
 * runs the JVM with C1 only, where the JDK's Java code is slow at exactly the work a large release
 * is made of, and NSS is not:
 *
 * <ul>
 *   <li>hashing the plan: the JDK's SHA-256, SHA-384 and MD5 together ~45 MiB/s, NSS's ~140 MiB/s
 *       on one core with CPU to spare ({@link #provider()}, asked for by name by {@link Digests});
 *   <li>moving the bytes ({@link #preferForTransfers()}): TLS's AES-GCM (R2 is HTTPS only) costs
 *       ~45 ms of CPU per MiB in the JDK's code under C1 and ~2 ms in NSS; over plain HTTP the AWS
 *       SDK signs every body with a SHA-256 of it, ~14 ms per MiB against ~1.
 * </ul>
 *
 * Loading NSS costs ~70 ms once, so cdnpub uses it only for enough bytes to repay that. Off with
 * {@code -Dcdnpub.nativeCrypto=false} (through {@code CDNPUB_JAVA_OPTS}); absent NSS, or any
 * failure to load it, means the JDK's code, which gives the same results.
 */
public final class NativeCrypto {
  private NativeCrypto() {}

  /**
   * Folders where NSS's libraries usually live, after those on {@code java.library.path}. The
   * launcher (src/main/sh/cdnpub) looks in the same folders to choose the JIT.
   */
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
        Boolean.parseBoolean(System.getProperty("cdnpub.nativeCrypto", "true"))
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

  /**
   * Bytes to send over TLS from which NSS's AES-GCM repays loading NSS (~70 ms, on a core of its
   * own while the S3 client is built): the JDK's costs ~45 ms of CPU per MiB under C1, NSS's ~2.
   */
  public static final long TLS_FROM_BYTES = 2L << 20;

  /**
   * Whether a publish of {@code bytes} to {@code endpoint} should travel through NSS: over HTTPS
   * from {@link #TLS_FROM_BYTES}; over plain HTTP, where only the SDK's SHA-256 of each body is to
   * gain (~13 ms per MiB), from {@link Digests#NATIVE_FROM_BYTES}, where the plan loads NSS anyway.
   */
  public static boolean pays(URI endpoint, long bytes) {
    return bytes
        >= ("https".equalsIgnoreCase(endpoint.getScheme())
            ? TLS_FROM_BYTES
            : Digests.NATIVE_FROM_BYTES);
  }

  /** The name of the provider {@link #preferForTransfers()} puts first. */
  public static final String TRANSFERS = "cdnpub-nss-transfers";

  /**
   * The only services {@link #preferForTransfers()} takes from NSS: TLS's bulk cipher, and the
   * digest the AWS SDK signs a plain-HTTP body with. Key exchange, signatures, random numbers and
   * HMAC stay with the JDK's providers, though the SHA-256 that those of them which hash ask for by
   * name (HMAC-SHA256, TLS's handshake hash, ECDSA with SHA-256) is then NSS's: the same results.
   */
  static final List<List<String>> TRANSFER_SERVICES =
      List.of(List.of("Cipher", "AES/GCM/NoPadding"), List.of("MessageDigest", "SHA-256"));

  /**
   * Makes NSS the JVM's first choice for {@link #TRANSFER_SERVICES}, through a provider that offers
   * those and nothing else. TLS connections opened from then on encrypt with it; the SDK's SHA-256
   * of each plain-HTTP body too. Idempotent; false (and nothing changed) when NSS is not here.
   */
  public static boolean preferForTransfers() {
    return preferForTransfers(provider());
  }

  /** As {@link #preferForTransfers()}, with the given NSS provider (empty: none here). */
  static synchronized boolean preferForTransfers(Optional<Provider> nss) {
    if (preferredForTransfers()) {
      return true;
    }
    if (nss.isEmpty()) {
      return false;
    }
    Transfers transfers = new Transfers(nss.get());
    Security.insertProviderAt(transfers, 1);
    if (!ciphersThroughIt(transfers)) {
      // A JDK that accepts only signed providers for ciphers (Oracle's) passes this one over
      // silently: then nothing of it is kept, and nothing claims NSS does the work.
      Security.removeProvider(TRANSFERS);
      return false;
    }
    return true;
  }

  /** Whether an AES-GCM cipher asked for by name, as TLS asks, is in fact {@code transfers}'. */
  private static boolean ciphersThroughIt(Provider transfers) {
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(
          Cipher.ENCRYPT_MODE,
          new SecretKeySpec(new byte[16], "AES"),
          new GCMParameterSpec(128, new byte[12]));
      return cipher.getProvider() == transfers;
    } catch (java.security.GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  /** Whether {@link #preferForTransfers()} has put NSS first. */
  public static boolean preferredForTransfers() {
    return Security.getProvider(TRANSFERS) != null;
  }

  /** A provider of a few of NSS's services, each handed over as NSS gives it. */
  static final class Transfers extends Provider {
    private static final long serialVersionUID = 1L;

    Transfers(Provider nss) {
      super(TRANSFERS, "1", "NSS's AES-GCM and SHA-256, first for cdnpub's transfers");
      for (List<String> wanted : TRANSFER_SERVICES) {
        Service service = nss.getService(wanted.get(0), wanted.get(1));
        if (service != null) {
          putService(new Handed(this, service));
        }
      }
    }
  }

  /** One of NSS's services under {@link Transfers}: same algorithm, NSS's implementation. */
  private static final class Handed extends Provider.Service {
    private final Provider.Service nss;

    Handed(Provider owner, Provider.Service nss) {
      super(owner, nss.getType(), nss.getAlgorithm(), nss.getClassName(), null, null);
      this.nss = nss;
    }

    @Override
    public Object newInstance(Object constructorParameter)
        throws java.security.NoSuchAlgorithmException {
      return nss.newInstance(constructorParameter);
    }

    @Override
    public boolean supportsParameter(Object parameter) {
      return nss.supportsParameter(parameter);
    }
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
