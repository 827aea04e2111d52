package dev.cdnpub.serve;

/**
 * Told about every answer {@code cdnpub serve} sends, after it is decided and before it is written.
 * Called on the server's threads, several at once; must return quickly and must not throw (an
 * exception is dropped, the answer still goes out).
 */
@FunctionalInterface
public interface RequestLog {
  /**
   * @param target the request target as sent, decoded as UTF-8, control characters shown as '?'
   * @param location the redirect's Location, or null
   */
  void answered(String method, String target, int status, String location);

  /**
   * Told, in one line, about trouble that costs no answer but should be seen (for example, no
   * connection could be accepted for a while). Same rules as {@link #answered}; ignored unless
   * overridden.
   */
  default void trouble(String line) {}

  RequestLog NONE = (method, target, status, location) -> {};
}
