package dev.cdnpub.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.cdnpub.app.ApiFactory;
import dev.cdnpub.app.StoreFactory;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * docs/ci.md cannot drift from the CLI: every cdnpub command line on it (in its shell and YAML
 * blocks, and in its inline code) parses with the real command tree.
 */
class CiDocsTest {
  private static final Pattern SEGMENT_BREAK =
      Pattern.compile("\\|\\||&&|;|\\||\\bthen\\b|\\bdo\\b|\\belse\\b");
  private static final Pattern INLINE = Pattern.compile("`(cdnpub [^`]+)`");
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{\\{[^}]*}}|\\$\\{[^}]*}|\\$\\w+");

  /** The cdnpub command lines of a Markdown page, as written (variables not yet replaced). */
  static List<String> commandLines(String markdown) {
    List<String> commands = new ArrayList<>();
    boolean inBlock = false;
    StringBuilder pending = new StringBuilder();
    for (String raw : markdown.split("\n", -1)) {
      if (raw.trim().startsWith("```")) {
        inBlock = !inBlock;
        continue;
      }
      if (!inBlock) {
        Matcher inline = INLINE.matcher(raw);
        while (inline.find()) {
          commands.add(inline.group(1));
        }
        continue;
      }
      if (raw.endsWith("\\")) {
        pending.append(raw, 0, raw.length() - 1).append(' ');
        continue;
      }
      String line = pending.append(raw).toString();
      pending.setLength(0);
      // YAML's "- " list marker and "run:" key are not part of the shell command.
      line = line.replaceFirst("^\\s*(-\\s+)?(run:\\s*)?", "");
      for (String segment : SEGMENT_BREAK.split(line)) {
        String command = segment.trim();
        if (command.startsWith("cdnpub ")) {
          commands.add(command);
        }
      }
    }
    return commands;
  }

  /** The words of a shell command up to its first redirection, quotes removed, variables filled. */
  static List<String> words(String command) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    char quote = 0;
    String filled = VARIABLE.matcher(command).replaceAll("1.0.0");
    for (int i = 0; i < filled.length(); i++) {
      char c = filled.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else {
          word.append(c);
        }
      } else if (c == '"' || c == '\'') {
        quote = c;
        inWord = true;
      } else if (c == '>' || c == '<') {
        if (inWord && word.toString().matches("\\d")) {
          word.setLength(0); // 2> : the descriptor is not an argument
          inWord = false;
        }
        break;
      } else if (Character.isWhitespace(c)) {
        if (inWord) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
      } else {
        word.append(c);
        inWord = true;
      }
    }
    if (inWord) {
      words.add(word.toString());
    }
    return words;
  }

  @Test
  void everyCdnpubCommandLineInCiDocs_parsesWithTheRealCommandTree() throws Exception {
    List<String> commands = commandLines(Files.readString(Path.of("docs/ci.md")));
    assertTrue(commands.size() >= 10, "too few command lines found: " + commands);
    assertTrue(
        commands.stream().anyMatch(c -> c.startsWith("cdnpub publish ")), commands.toString());
    assertTrue(
        commands.stream().anyMatch(c -> c.startsWith("cdnpub verify ")), commands.toString());
    List<String> failures = new ArrayList<>();
    for (String command : commands) {
      List<String> words = words(command);
      try {
        commandLine().parseArgs(words.subList(1, words.size()).toArray(String[]::new));
      } catch (CommandLine.ParameterException e) {
        failures.add(command + "\n    -> " + e.getMessage());
      }
    }
    if (!failures.isEmpty()) {
      fail("docs/ci.md has command lines cdnpub does not accept:\n" + String.join("\n", failures));
    }
  }

  @Test
  void commandLines_findsShellYamlAndInlineCommands_andARenamedOptionFailsToParse() {
    String page =
        String.join(
            "\n",
            "Run `cdnpub verify 1.0.0 --public` later.",
            "```yaml",
            "      - name: cdnpub bundle",
            "      - run: cdnpub --version",
            "        cdnpub publish dist \\",
            "          --json > publish.json",
            "          [ \"$code\" = 7 ] && cdnpub verify \"$V\" --jsn 2>err.txt",
            "```");
    List<List<String>> commands = commandLines(page).stream().map(CiDocsTest::words).toList();
    assertEquals(
        List.of(
            List.of("cdnpub", "verify", "1.0.0", "--public"),
            List.of("cdnpub", "--version"),
            List.of("cdnpub", "publish", "dist", "--json"),
            List.of("cdnpub", "verify", "1.0.0", "--jsn")),
        commands);
    try {
      commandLine().parseArgs("verify", "1.0.0", "--jsn");
      fail("--jsn parsed");
    } catch (CommandLine.ParameterException expected) {
      // what the docs test reports for a drifted line
    }
  }

  private static CommandLine commandLine() {
    PrintWriter nowhere = new PrintWriter(new StringWriter());
    RunContext ctx =
        new RunContext(
            Map.of(),
            Path.of("."),
            new Console(nowhere, nowhere, Map.of()),
            Clock.systemUTC(),
            StoreFactory.DEFAULT,
            ApiFactory.DEFAULT);
    return new Cli(ctx).commandLine();
  }
}
