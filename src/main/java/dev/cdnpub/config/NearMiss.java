package dev.cdnpub.config;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** "Did you mean …?" for a misspelt key: the closest name by edit distance, when it is close. */
public final class NearMiss {
  private NearMiss() {}

  /** The candidate closest to {@code typed}, or null when none is within a few edits. */
  static String closest(String typed, Collection<String> candidates) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : candidates) {
      int d = distance(typed, candidate);
      if (d < bestDistance) {
        best = candidate;
        bestDistance = d;
      }
    }
    return bestDistance <= limit(typed) ? best : null;
  }

  /**
   * The candidates within a few edits of {@code typed}, closest first (ties keep the candidates'
   * order): "st" ranks "set" (one edit) before "list" (two).
   */
  public static List<String> ranked(String typed, Collection<String> candidates) {
    int limit = limit(typed);
    return candidates.stream()
        .filter(c -> distance(typed, c) <= limit)
        .sorted(Comparator.comparingInt(c -> distance(typed, c)))
        .toList();
  }

  /** As {@link #closest}, comparing {@code typed} with the last part of each dotted key. */
  static String closestKey(String typed, Collection<String> dottedKeys) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String key : dottedKeys) {
      int d = distance(typed, key.substring(key.lastIndexOf('.') + 1));
      if (d < bestDistance) {
        best = key;
        bestDistance = d;
      }
    }
    return bestDistance <= limit(typed) ? best : null;
  }

  /** A third of the length: "libary" is close to "library", "x" to nothing but "X". */
  private static int limit(String typed) {
    return Math.max(1, Math.min(3, typed.length() / 3));
  }

  /**
   * Case-insensitive optimal string alignment distance: insertions, deletions, substitutions and
   * swaps of neighbours ("bucekt" is one edit from "bucket") each cost one.
   */
  static int distance(String a, String b) {
    String s = a.toLowerCase(Locale.ROOT);
    String t = b.toLowerCase(Locale.ROOT);
    int[][] d = new int[s.length() + 1][t.length() + 1];
    for (int i = 0; i <= s.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= t.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= s.length(); i++) {
      for (int j = 1; j <= t.length(); j++) {
        int cost = s.charAt(i - 1) == t.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1
            && j > 1
            && s.charAt(i - 1) == t.charAt(j - 2)
            && s.charAt(i - 2) == t.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[s.length()][t.length()];
  }
}
