package dev.cdnpub.cloudflare;

import dev.cdnpub.core.CdnpubException;
import dev.cdnpub.core.ExitCode;
import java.util.List;

/**
 * A failed Cloudflare API call, with what the API said so that callers can tell one failure from
 * another (for example KV's "key not found", code 10009, from "namespace not found"). The message
 * never contains the API token.
 */
public final class CloudflareApiException extends CdnpubException {
  private final int httpStatus;
  private final List<ApiError> errors;

  CloudflareApiException(
      ExitCode exitCode, String message, int httpStatus, List<ApiError> errors, Throwable cause) {
    super(exitCode, message, cause);
    this.httpStatus = httpStatus;
    this.errors = List.copyOf(errors);
  }

  /** The HTTP status of the last answer, or 0 when the last attempt got no answer at all. */
  public int httpStatus() {
    return httpStatus;
  }

  /**
   * The envelope's {@code errors} (or {@code messages}) of the last answer; empty if it had none.
   */
  public List<ApiError> errors() {
    return errors;
  }

  /** Whether the API named this error code, e.g. 10009 for a missing KV key. */
  public boolean hasErrorCode(int code) {
    return errors.stream().anyMatch(e -> e.code() == code);
  }
}
