package dev.cdnpub.core;

/** The process exit codes of cdnpub; documented in README.md and in {@code --help}. */
public enum ExitCode {
  OK(0),
  /** A bug or an unexpected state: the message says what, {@code --verbose} shows the stack. */
  INTERNAL(1),
  /** Bad arguments, settings or input; nothing was changed. */
  USAGE(2),
  /** The version exists or is claimed with other content, or a concurrent writer won. */
  CONFLICT(3),
  /** A version, alias or bucket that the command needs does not exist. */
  NOT_FOUND(4),
  /** A remote service failed: network, 5xx, or 429 after retries. */
  REMOTE(5),
  /** The remote service refused the credentials (401/403). */
  AUTH(6),
  /** {@code cdnpub verify} found files (or alias redirects) that differ from the manifest. */
  VERIFY_FAILED(7);

  private final int code;

  ExitCode(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }
}
