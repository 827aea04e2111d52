package dev.cdnpub.core;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Locale;

/**
 * The one rule for what may name a stored object: a released file's path, and every key cdnpub
 * writes. The publish plan applies it before anything is written, both stores apply it again as a
 * guard, and the resolver Worker applies the same rule to request paths
 * (src/main/worker/resolver.js, held together by src/test/resources/key-rules.json). A name this
 * rule accepts can be stored on R2 and in the local store, and fetched by a browser under the same
 * spelling.
 *
 * <p>Per path segment: not empty, not {@code .} or {@code ..}; at most {@value #MAX_SEGMENT_BYTES}
 * UTF-8 bytes (file systems refuse longer names, so the local store would); no control or format
 * characters (invisible, and two names that look alike would be different keys); no {@code \} (a
 * browser turns it into {@code /}), {@code ?} or {@code #} (they end a URL path), {@code %} (it
 * starts an escape, so the name would have to be written differently in every URL); no U+FFFD (the
 * mark of a file name that was not valid UTF-8); no leading or trailing space (HTML strips it from
 * URLs); Unicode NFC form. The whole key is at most {@value #MAX_KEY_BYTES} UTF-8 bytes (R2's
 * limit).
 */
public final class KeyRules {
  /** R2 (and S3) refuse keys longer than this many UTF-8 bytes. */
  public static final int MAX_KEY_BYTES = 1024;

  /** Linux file systems (ext4, tmpfs, …) refuse a name longer than this many bytes. */
  public static final int MAX_SEGMENT_BYTES = 255;

  private KeyRules() {}

  /** Unicode NFC, the one spelling a name is stored under. */
  public static String nfc(String text) {
    return Normalizer.normalize(text, Normalizer.Form.NFC);
  }

  /**
   * Why {@code path} (segments separated by {@code /}) cannot name an object, or null when it can.
   * The reason is a phrase that reads after the name: "a\b.js: contains a backslash".
   */
  public static String problem(String path) {
    if (path.isEmpty()) {
      return "is empty";
    }
    if (path.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
      return "is longer than " + MAX_KEY_BYTES + " bytes";
    }
    for (String segment : path.split("/", -1)) {
      String problem = segmentProblem(segment);
      if (problem != null) {
        return problem;
      }
    }
    return null;
  }

  /**
   * Refuses (exit 1) a key that breaks the rule: stores call this as a guard, since the plan has
   * refused such names before anything was written, so reaching here is a bug.
   */
  public static void requireValid(String key, String what) {
    String problem = problem(key);
    if (problem != null) {
      throw refused(key, what, problem);
    }
  }

  /** The exit-1 failure for an unsafe key (control characters shown as '?'). */
  public static CdnpubException refused(String key, String what, String problem) {
    return new CdnpubException(
        ExitCode.INTERNAL,
        "refusing unsafe " + what + " " + key.replaceAll("\\p{Cntrl}", "?") + ": it " + problem);
  }

  /** Why one path segment is not allowed, or null when it is. */
  public static String segmentProblem(String segment) {
    if (segment.isEmpty()) {
      return "has an empty path segment";
    }
    if (segment.equals(".") || segment.equals("..")) {
      return "has a '" + segment + "' path segment";
    }
    if (segment.getBytes(StandardCharsets.UTF_8).length > MAX_SEGMENT_BYTES) {
      return "has a path segment longer than " + MAX_SEGMENT_BYTES + " bytes";
    }
    if (segment.startsWith(" ") || segment.endsWith(" ")) {
      return "has a path segment that starts or ends with a space";
    }
    for (int i = 0; i < segment.length(); ) {
      int c = segment.codePointAt(i);
      String problem = characterProblem(c);
      if (problem != null) {
        return problem;
      }
      i += Character.charCount(c);
    }
    if (!Normalizer.isNormalized(segment, Normalizer.Form.NFC)) {
      return "is not in Unicode NFC form";
    }
    return null;
  }

  private static String characterProblem(int c) {
    switch (c) {
      case '\\':
        return "contains a backslash (browsers read it as '/')";
      case '?':
        return "contains '?' (it starts a URL's query)";
      case '#':
        return "contains '#' (it starts a URL's fragment)";
      case '%':
        return "contains '%' (it starts a URL escape)";
      case 0xFFFD:
        return "is not valid UTF-8 (U+FFFD)";
      default:
        break;
    }
    int type = Character.getType(c);
    if (type == Character.CONTROL) {
      return "contains a control character (U+" + hex(c) + ")";
    }
    if (type == Character.FORMAT) {
      return "contains an invisible format character (U+" + hex(c) + ")";
    }
    if (type == Character.SURROGATE) {
      return "is not valid UTF-8 (a lone surrogate)";
    }
    if (type == Character.UNASSIGNED) {
      // A newer Unicode may make it a format character, as the Worker's V8 may already know
      // (U+0890, U+13439): refused, so that publish never accepts a name the Worker refuses.
      return "contains a character unassigned in Java's Unicode (U+" + hex(c) + ")";
    }
    return null;
  }

  private static String hex(int c) {
    return String.format(Locale.ROOT, "%04X", c);
  }
}
