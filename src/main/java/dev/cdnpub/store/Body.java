package dev.cdnpub.store;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What to upload: a file on disk or bytes in memory, with its size and the base64 MD5 digest that
 * the store sends as {@code Content-MD5} so the server rejects a body damaged on the way.
 */
public record Body(Path file, byte[] bytes, long size, String md5Base64) {

  public Body {
    if ((file == null) == (bytes == null)) {
      throw new IllegalArgumentException("exactly one of file and bytes");
    }
    Objects.requireNonNull(md5Base64, "md5Base64");
  }

  public static Body ofFile(Path file, long size, String md5Base64) {
    return new Body(file, null, size, md5Base64);
  }

  public static Body ofBytes(byte[] bytes) {
    return new Body(null, bytes, bytes.length, Digests.md5Base64(bytes));
  }

  public boolean inMemory() {
    return bytes != null;
  }

  @Override
  public String toString() {
    return inMemory()
        ? "Body[" + size + " bytes in memory]"
        : "Body[" + file + ", " + size + " bytes]";
  }
}
