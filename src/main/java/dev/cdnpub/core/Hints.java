package dev.cdnpub.core;

/**
 * Builds the cdnpub command lines that messages suggest, so that a user can copy one as it is
 * printed: when this run's library came from {@code --library}, the line carries {@code --library
 * NAME} too (a library from the environment, cdnpub.json or package.json is found again by the
 * copied command on its own).
 *
 * @param library the library given with {@code --library}, or null when it came from elsewhere
 */
public record Hints(String library) {
  /** Hints for a run whose library, if any, was not given with {@code --library}. */
  public static final Hints NONE = new Hints(null);

  /** {@code "cdnpub " + args}, plus {@code --library NAME} when the library came from the flag. */
  public String command(String args) {
    return "cdnpub " + args + (library == null ? "" : " --library " + library);
  }
}
