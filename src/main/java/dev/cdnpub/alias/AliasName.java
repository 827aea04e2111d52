package dev.cdnpub.alias;

import dev.cdnpub.core.CdnpubException;
import dev.cdnpub.publish.ReleaseVersion;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An alias: {@code latest}, {@code v{major}}, {@code v{major}.{minor}}, or a named tag such as
 * {@code next}. Tags share the syntax {@code [a-z][a-z0-9-]*} but never look like the other kinds.
 */
public record AliasName(String name, Kind kind, int major, int minor) {
  public enum Kind {
    LATEST,
    MAJOR,
    MINOR,
    TAG
  }

  private static final Pattern MAJOR = Pattern.compile("v(0|[1-9]\\d{0,8})");
  private static final Pattern MINOR = Pattern.compile("v(0|[1-9]\\d{0,8})\\.(0|[1-9]\\d{0,8})");
  private static final Pattern TAG = Pattern.compile("[a-z][a-z0-9-]{0,63}");

  public static AliasName parse(String text) {
    if ("latest".equals(text)) {
      return new AliasName(text, Kind.LATEST, -1, -1);
    }
    Matcher m = MAJOR.matcher(text == null ? "" : text);
    if (m.matches()) {
      return new AliasName(text, Kind.MAJOR, Integer.parseInt(m.group(1)), -1);
    }
    m = MINOR.matcher(text == null ? "" : text);
    if (m.matches()) {
      return new AliasName(
          text, Kind.MINOR, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }
    if (text != null && TAG.matcher(text).matches() && !text.matches("v\\d.*")) {
      return new AliasName(text, Kind.TAG, -1, -1);
    }
    throw CdnpubException.usage(
        "'"
            + text
            + "' is not an alias: use latest, vN (v1), vN.M (v1.2) or a tag of lower-case letters, digits and '-' (next).");
  }

  public static AliasName latest() {
    return new AliasName("latest", Kind.LATEST, -1, -1);
  }

  public static AliasName major(int major) {
    return new AliasName("v" + major, Kind.MAJOR, major, -1);
  }

  public static AliasName minor(int major, int minor) {
    return new AliasName("v" + major + "." + minor, Kind.MINOR, major, minor);
  }

  /**
   * Whether {@code version} may be the target of this alias: vN and vN.M must match its numbers.
   */
  public boolean admits(ReleaseVersion version) {
    return switch (kind) {
      case LATEST, TAG -> true;
      case MAJOR -> version.major() == major;
      case MINOR -> version.major() == major && version.minor() == minor;
    };
  }

  @Override
  public String toString() {
    return name;
  }
}
