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

  /** Parses {@code 1.2.3}, {@code v1.2.3} or {@code 2.0.0-beta.1}; anything else is a usage error. */
  public static ReleaseVersion parse(String text) {
    if (text == null || text.isEmpty()) {
      throw CdnpubException.usage("--version is empty; give a semantic version such as 1.2.3.");
    }
    String bare = text.startsWith("v") ? text.substring(1) : text;
    Semver semver = bare.chars().anyMatch(c -> c <= ' ' || c > '~') ? null : Semver.parse(bare);
    // semver4j trims and accepts some loose forms; only the canonical spelling is a valid name.
    if (semver == null || !semver.getVersion().equals(bare)) {
      throw CdnpubException.usage(
          "'" + printable(text) + "' is not a semantic version; give MAJOR.MINOR.PATCH such as 1.2.3 or 2.0.0-beta.1.");
    }
    if (!semver.getBuild().isEmpty()) {
      throw CdnpubException.usage(
          "'" + printable(text) + "' has build metadata (+…), which cannot name a release; use a prerelease such as 1.2.3-build.5.");
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
    text.codePoints().limit(80).forEach(c -> b.append(Character.isISOControl(c) ? '?' : Character.toString(c)));
    return b.toString();
  }
}
