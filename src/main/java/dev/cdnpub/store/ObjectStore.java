package dev.cdnpub.store;

import dev.cdnpub.core.CdnpubException;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Where released files and cdnpub's own records live: R2 through the S3 API, or a local folder.
 *
 * <p>Contract shared by every adapter (held by the contract tests):
 *
 * <ul>
 *   <li>{@link #createIfAbsent} is atomic: of any number of concurrent creators of one key exactly
 *       one gets {@link CreateResult#CREATED}, the others {@link CreateResult#ALREADY_EXISTS}, and
 *       the stored object is the winner's whole body. An object is never overwritten or deleted.
 *   <li>Reads, stats and listings see every completed create (R2 is strongly consistent).
 *   <li>Failures are {@link dev.cdnpub.core.CdnpubException}s carrying the exit code (5 remote, 6
 *       refused credentials, 4 missing bucket); messages never contain credentials.
 *   <li>Implementations are safe to call from several threads at once.
 * </ul>
 */
public interface ObjectStore extends AutoCloseable {

  /**
   * Stores {@code body} at {@code key} unless an object exists there already. When {@code metadata}
   * carries a {@code sha256}, the bytes actually sent must have that digest (a file rewritten after
   * it was planned, e.g. by a build still running); otherwise nothing is stored and {@link
   * #bodyChanged} is thrown.
   */
  CreateResult createIfAbsent(String key, Body body, ObjectMetadata metadata);

  /**
   * The shortest round trip to the store this client has seen on the wire, in milliseconds, without
   * the client's own work per request; empty when the store does not measure it (a local folder) or
   * before its first answer.
   */
  default OptionalLong roundTripMillis() {
    return OptionalLong.empty();
  }

  /** Whether each new connection to the store costs a TLS handshake (R2: always). */
  default boolean connectsOverTls() {
    return false;
  }

  /** The failure for a body whose bytes no longer match the digest it was planned with. */
  static CdnpubException bodyChanged(String key, Body body) {
    return CdnpubException.usage(
        (body.file() != null ? body.file().toString() : key)
            + " changed while it was being published (its bytes no longer match the plan); let the build finish, then re-run the same publish.");
  }

  /** The whole body of a small object (a claim, a manifest, an alias record), if it exists. */
  Optional<byte[]> read(String key);

  /**
   * Streams the object at {@code key} to {@code reader} together with what the store says about it
   * (size, Content-Type and Cache-Control as stored): one GET on S3/R2, and never the whole body in
   * memory, so a release of large files is read in constant memory. The stream is closed when
   * {@code reader} returns; an {@link IOException} while reading it is a store failure (exit 5 for
   * R2). Empty when no object is there.
   */
  <T> Optional<T> readStream(String key, StreamReader<T> reader);

  /** Consumes one object's body; called on the thread that called {@link #readStream}. */
  @FunctionalInterface
  interface StreamReader<T> {
    T read(ObjectInfo info, InputStream body) throws IOException;
  }

  /** Size and metadata of an object, if it exists. */
  Optional<ObjectInfo> stat(String key);

  /** Every key that starts with {@code prefix}, in lexicographic order. */
  List<String> list(String prefix);

  /**
   * Discards what interrupted writers left behind under {@code prefix}, so nothing is billed or
   * kept for ever: on S3/R2 the multipart uploads still open there (ListMultipartUploads, then
   * AbortMultipartUpload); the local store sweeps the staging folders of dead processes. Never
   * touches a stored object. Returns how many uploads or staged files were discarded, with a phrase
   * saying so in this store's terms (the local store has no multipart uploads).
   */
  Discarded abortInterruptedUploads(String prefix);

  /** One line naming where the objects go, for output; never contains credentials. */
  String describe();

  @Override
  void close();
}
