package dev.cdnpub.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.NoSuchProviderException;
import java.security.Provider;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/** SHA-256, SHA-384 and MD5 of a file in one read, and small helpers for bytes. */
public final class Digests {
  private Digests() {}

  /** The three digests of one file: sha256 (hex), sha384 (base64, for SRI), md5 (base64). */
  public record FileDigests(long size, String sha256Hex, String sha384Base64, String md5Base64) {}

  /**
   * Bytes to hash from which native digests ({@link NativeCrypto}) repay loading them (~70 ms):
   * under C1 the JDK's three digests take ~20 ms per MiB, NSS's ~7.
   */
  public static final long NATIVE_FROM_BYTES = 8L << 20;

  /**
   * Digests for hashing {@code bytes} in all: native ones when there are enough and NSS is here.
   */
  public static Optional<Provider> providerFor(long bytes) {
    return bytes >= NATIVE_FROM_BYTES ? NativeCrypto.provider() : Optional.empty();
  }

  /** One read buffer per hashing thread for native digests, outside the heap. */
  private static final ThreadLocal<ByteBuffer> DIRECT_BUFFER =
      ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(256 * 1024));

  public static FileDigests ofFile(Path file) throws IOException {
    return ofFile(file, Optional.empty());
  }

  /** As {@link #ofFile(Path)}, with the given provider's digests (the JDK's when empty). */
  public static FileDigests ofFile(Path file, Optional<Provider> provider) throws IOException {
    MessageDigest sha256 = digest("SHA-256", provider);
    MessageDigest sha384 = digest("SHA-384", provider);
    MessageDigest md5 = digest("MD5", provider);
    long size = feed(file, provider.isPresent(), List.of(sha256, sha384, md5));
    Base64.Encoder b64 = Base64.getEncoder();
    return new FileDigests(
        size,
        HexFormat.of().formatHex(sha256.digest()),
        b64.encodeToString(sha384.digest()),
        b64.encodeToString(md5.digest()));
  }

  public static String sha256Hex(byte[] bytes) {
    return HexFormat.of().formatHex(digest("SHA-256").digest(bytes));
  }

  public static String sha256Hex(Path file) {
    try {
      Optional<Provider> provider = providerFor(Files.size(file));
      MessageDigest sha256 = digest("SHA-256", provider);
      feed(file, provider.isPresent(), List.of(sha256));
      return HexFormat.of().formatHex(sha256.digest());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Every byte of {@code file} to each of {@code digests} in one read; returns the file's size.
   * {@code direct}: through a direct buffer, which native digests read in place.
   */
  private static long feed(Path file, boolean direct, List<MessageDigest> digests)
      throws IOException {
    long size = 0;
    int n;
    if (direct) {
      // A heap array would be copied on each update: ~20% more CPU for the three.
      ByteBuffer buffer = DIRECT_BUFFER.get();
      try (FileChannel in = FileChannel.open(file)) {
        while ((n = in.read(buffer.clear())) > 0) {
          buffer.flip();
          for (MessageDigest digest : digests) {
            digest.update(buffer.position(0));
          }
          size += n;
        }
      }
    } else {
      byte[] buffer = new byte[64 * 1024];
      try (InputStream in = Files.newInputStream(file)) {
        while ((n = in.read(buffer)) > 0) {
          for (MessageDigest digest : digests) {
            digest.update(buffer, 0, n);
          }
          size += n;
        }
      }
    }
    return size;
  }

  /** Hex MD5: the ETag that S3 and R2 give an object uploaded in one part. */
  public static String md5Hex(byte[] bytes) {
    return HexFormat.of().formatHex(digest("MD5").digest(bytes));
  }

  public static String md5Base64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(digest("MD5").digest(bytes));
  }

  public static String md5Base64(byte[] bytes, int offset, int length) {
    return md5Base64(bytes, offset, length, Optional.empty());
  }

  /**
   * As {@link #md5Base64(byte[], int, int)}, with the given provider's MD5 (the JDK's if empty).
   */
  public static String md5Base64(
      byte[] bytes, int offset, int length, Optional<Provider> provider) {
    MessageDigest md5 = digest("MD5", provider);
    md5.update(bytes, offset, length);
    return Base64.getEncoder().encodeToString(md5.digest());
  }

  public static MessageDigest digest(String algorithm) {
    return digest(algorithm, Optional.empty());
  }

  /**
   * The given provider's digest, else the JDK's own ({@code SUN}, named: {@link
   * NativeCrypto#preferForTransfers()} may have put NSS first for SHA-256).
   */
  public static MessageDigest digest(String algorithm, Optional<Provider> provider) {
    try {
      if (provider.isPresent()) {
        return MessageDigest.getInstance(algorithm, provider.get());
      }
      try {
        return MessageDigest.getInstance(algorithm, "SUN");
      } catch (NoSuchProviderException | NoSuchAlgorithmException e) {
        // a JDK configured without SUN (some FIPS set-ups): whichever provider it prefers
        return MessageDigest.getInstance(algorithm);
      }
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks " + algorithm, e);
    }
  }
}
