package dev.cdnpub.publish;

import dev.cdnpub.core.CdnpubException;
import org.semver4j.Semver;

/**
 * A strict semantic version (semver 2.0) that names an immutable release, without build metadata:
 * {@code +} has no safe meaning in a URL path (it is a space in form encoding, and semver says two
 * versions that differ only in build metadata have the same precedence, so aliases could not order
 * them).
 */
public record ReleaseVersion(Semver semver) implements Comparable<ReleaseVersion> {
  /**
   * Longest version accepted, in characters. The version is one path segment of every key and part
   * of record file names ({@code 1.2.3.json}), which must stay below file systems' 255 bytes.
   */
  public static final int MAX_LENGTH = 128;

  /**
   * Most digits in MAJOR, MINOR and PATCH: the alias names {@code vN} and {@code vN.M} (and the
   * resolver Worker) accept numbers up to 999999999, so every publishable version has its aliases.
   */
  public static final int MAX_NUMBER_DIGITS = 9;

  /**
   * Most digits in a numeric prerelease identifier (precedence compares them as 64-bit numbers).
   */
  public static final int MAX_PRERELEASE_NUMBER_DIGITS = 18;

  /**
   * Parses {@code 1.2.3}, {@code v1.2.3} or {@code 2.0.0-beta.1}; anything else is a usage error.
   */
  public static ReleaseVersion parse(String text) {
    if (text == null || text.isEmpty()) {
      throw CdnpubException.usage("--version is empty; give a semantic version such as 1.2.3.");
    }
    String bare = text.startsWith("v") ? text.substring(1) : text;
    if (bare.length() > MAX_LENGTH) {
      throw CdnpubException.usage(
          "version '"
              + printable(text)
              + "…' is longer than "
              + MAX_LENGTH
              + " characters; use a shorter prerelease.");
    }
    Semver semver = bare.chars().anyMatch(c -> c <= ' ' || c > '~') ? null : Semver.parse(bare);
    // semver4j trims and accepts some loose forms; only the canonical spelling is a valid name.
    if (semver == null || !semver.getVersion().equals(bare)) {
      throw CdnpubException.usage(
          "'"
              + printable(text)
              + "' is not a semantic version; give MAJOR.MINOR.PATCH such as 1.2.3 or 2.0.0-beta.1.");
    }
    if (!semver.getBuild().isEmpty()) {
      throw CdnpubException.usage(
          "'"
              + printable(text)
              + "' has build metadata (+…), which cannot name a release; use a prerelease such as 1.2.3-build.5.");
    }
    String numbers = bare.split("-", 2)[0];
    for (String number : numbers.split("\\.")) {
      if (number.length() > MAX_NUMBER_DIGITS) {
        throw CdnpubException.usage(
            "'"
                + printable(text)
                + "' has a number above 999999999; MAJOR, MINOR and PATCH may have at most "
                + MAX_NUMBER_DIGITS
                + " digits, so that its aliases (v1, v1.2) can name it.");
      }
    }
    for (String identifier : semver.getPreRelease()) {
      if (identifier.chars().allMatch(Character::isDigit)
          && identifier.length() > MAX_PRERELEASE_NUMBER_DIGITS) {
        throw CdnpubException.usage(
            "'"
                + printable(text)
                + "' has a numeric prerelease identifier of more than "
                + MAX_PRERELEASE_NUMBER_DIGITS
                + " digits, which versions cannot be ordered by.");
      }
    }
    return new ReleaseVersion(semver);
  }

  /** Whether {@code text} is a bare strict release version (as stored in alias records). */
  public static boolean isValid(String text) {
    try {
      parse(text);
      return !text.startsWith("v");
    } catch (CdnpubException e) {
      return false;
    }
  }

  public boolean isPrerelease() {
    return !semver.getPreRelease().isEmpty();
  }

  public int major() {
    return semver.getMajor();
  }

  public int minor() {
    return semver.getMinor();
  }

  @Override
  public int compareTo(ReleaseVersion other) {
    return semver.compareTo(other.semver);
  }

  @Override
  public String toString() {
    return semver.getVersion();
  }

  private static String printable(String text) {
    StringBuilder b = new StringBuilder();
    text.codePoints()
        .limit(80)
        .forEach(c -> b.append(Character.isISOControl(c) ? '?' : Character.toString(c)));
    return b.toString();
  }
}
