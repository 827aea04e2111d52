package dev.cdnpub.cli;

import dev.cdnpub.config.NearMiss;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The names to suggest for a mistyped subcommand or option: those within a few edits of what was
 * typed, closest first ({@code alias st} suggests {@code set} before {@code list}), then picocli's
 * own suggestions; at most three.
 */
final class Suggestions {
  private static final int MAX = 3;

  private Suggestions() {}

  static List<String> of(UnmatchedArgumentException unmatched) {
    List<String> fromPicocli = unmatched.getSuggestions();
    if (fromPicocli.isEmpty() || unmatched.getUnmatched().isEmpty()) {
      return fromPicocli.subList(0, Math.min(MAX, fromPicocli.size()));
    }
    String typed = unmatched.getUnmatched().get(0);
    List<String> names =
        new ArrayList<>(
            typed.startsWith("-")
                ? unmatched.getCommandLine().getCommandSpec().optionsMap().keySet()
                : unmatched.getCommandLine().getSubcommands().keySet());
    Set<String> ranked = new LinkedHashSet<>(NearMiss.ranked(typed, names));
    ranked.addAll(fromPicocli);
    return List.copyOf(ranked).subList(0, Math.min(MAX, ranked.size()));
  }
}
