package dev.cdnpub.core;

/**
 * The one way core code reports a failure to the user: a single clear sentence and the exit code it
 * maps to. Messages must never contain secrets; the CLI prints the message as is, and the cause
 * chain only with {@code --verbose}.
 */
public class CdnpubException extends RuntimeException {
  private final ExitCode exitCode;

  public CdnpubException(ExitCode exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  public CdnpubException(ExitCode exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  public ExitCode exitCode() {
    return exitCode;
  }

  public static CdnpubException usage(String message) {
    return new CdnpubException(ExitCode.USAGE, message);
  }

  public static CdnpubException conflict(String message) {
    return new CdnpubException(ExitCode.CONFLICT, message);
  }

  public static CdnpubException notFound(String message) {
    return new CdnpubException(ExitCode.NOT_FOUND, message);
  }
}
