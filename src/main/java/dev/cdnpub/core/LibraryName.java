package dev.cdnpub.core;

import java.util.regex.Pattern;

/** A library's name: one URL path segment, as it appears in {@code /v1.2.3/{library}/…}. */
public final class LibraryName {
  private static final Pattern VALID = Pattern.compile("[a-z0-9][a-z0-9._-]*");
  private static final int MAX_LENGTH = 214; // npm's limit for a package name

  private LibraryName() {}

  /**
   * Returns {@code name} when it is a valid library name; otherwise a usage error naming the
   * source.
   */
  public static String validate(String name, String source) {
    if (name == null || name.isEmpty()) {
      throw CdnpubException.usage("the library name from " + source + " is empty.");
    }
    if (name.length() > MAX_LENGTH || !VALID.matcher(name).matches()) {
      throw CdnpubException.usage(
          "library name '"
              + name
              + "' from "
              + source
              + " is not one URL path segment of lower-case letters, digits, '.', '_' and '-' (starting with a letter or digit).");
    }
    return name;
  }

  /** The npm package name without its scope: {@code @acme/chatleo} becomes {@code chatleo}. */
  public static String stripScope(String packageName) {
    if (packageName.startsWith("@") && packageName.indexOf('/') > 0) {
      return packageName.substring(packageName.indexOf('/') + 1);
    }
    return packageName;
  }
}
