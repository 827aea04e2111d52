package dev.cdnpub.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cdnpub.app.ApiFactory;
import dev.cdnpub.app.StoreFactory;
import dev.cdnpub.testing.CliRun;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/** Help a new user can rely on: described arguments, whole summaries, completion, near misses. */
class HelpAndCompletionTest {
  @TempDir Path work;

  /** Every command and subcommand, as the CLI builds them. */
  static List<CommandSpec> allCommands() {
    PrintWriter nowhere = new PrintWriter(new StringWriter());
    RunContext ctx =
        new RunContext(
            Map.of(),
            Path.of("."),
            new Console(nowhere, nowhere, Map.of()),
            Clock.systemUTC(),
            StoreFactory.DEFAULT,
            ApiFactory.DEFAULT);
    List<CommandSpec> all = new ArrayList<>();
    collect(new Cli(ctx).commandLine(), all);
    return all;
  }

  static void collect(CommandLine cmd, List<CommandSpec> into) {
    into.add(cmd.getCommandSpec());
    cmd.getSubcommands().values().forEach(sub -> collect(sub, into));
  }

  @Test
  void everyPositionalParameter_hasADescription() {
    List<String> seen = new ArrayList<>();
    for (CommandSpec spec : allCommands()) {
      for (PositionalParamSpec p : spec.positionalParameters()) {
        String text = String.join(" ", p.description()).trim();
        assertFalse(
            text.isEmpty(), spec.qualifiedName() + " " + p.paramLabel() + " has no description");
        seen.add(spec.qualifiedName() + " " + p.paramLabel());
      }
    }
    assertTrue(seen.size() >= 10, seen.toString());
  }

  /** picocli lists a command by the first line of its description: it must be a whole sentence. */
  @Test
  void everySummaryLine_isAWholeSentence() {
    for (CommandSpec spec : allCommands()) {
      String[] description = spec.usageMessage().description();
      assertTrue(description.length > 0, spec.qualifiedName() + " has no description");
      assertTrue(
          description[0].endsWith("."),
          spec.qualifiedName() + ": '" + description[0] + "' is cut mid-sentence");
    }
  }

  @Test
  void completion_printsAScriptThatKnowsTheCommands_forBashAndZsh() {
    CliRun bash = CliRun.run(work, Map.of(), "completion");
    assertEquals(0, bash.exitCode, bash.toString());
    assertTrue(bash.out.contains("complete -F"), bash.out);
    for (String command :
        List.of("publish", "rollback", "yank", "versions", "show", "alias", "worker")) {
      assertTrue(bash.out.contains(command), command);
    }
    assertTrue(bash.out.contains("--dry-run"), "options too");
    CliRun zsh = CliRun.run(work, Map.of(), "completion", "zsh");
    assertEquals(0, zsh.exitCode);
    assertTrue(
        zsh.out.startsWith("autoload -U +X compinit && compinit\nautoload -U +X bashcompinit"),
        zsh.out);
    assertEquals(2, CliRun.run(work, Map.of(), "completion", "fish").exitCode);
  }

  @Test
  void completion_takesQuietAndJson_likeEveryCommand() throws Exception {
    String script = CliRun.run(work, Map.of(), "completion", "zsh").out;
    CliRun quiet = CliRun.run(work, Map.of(), "completion", "zsh", "-q");
    assertEquals(0, quiet.exitCode, quiet.toString());
    assertEquals(script, quiet.out, "the script is the answer, so -q prints it");
    assertEquals("", quiet.err);

    CliRun json = CliRun.run(work, Map.of(), "completion", "zsh", "--json");
    assertEquals(0, json.exitCode, json.toString());
    JsonNode result = JsonOutputTest.onlyObject(json);
    assertEquals("completion", result.get("command").asText());
    assertEquals("ok", result.get("status").asText());
    assertEquals("zsh", result.get("shell").asText());
    assertEquals(script, result.get("script").asText() + "\n", "the same script, in a field");
  }

  @Test
  void mistypedCommandOrOption_suggestsTheNearMiss() {
    CliRun command = CliRun.run(work, Map.of(), "publsh", "dist");
    assertEquals(2, command.exitCode, command.toString());
    assertTrue(command.err.contains("; did you mean publish"), command.err);
    CliRun option = CliRun.run(work, Map.of(), "publish", "dist", "--version", "1.0.0", "--dry-rn");
    assertEquals(2, option.exitCode, option.toString());
    assertTrue(option.err.contains("; did you mean --dry-run"), option.err);
  }

  @Test
  void actorOption_saysItsDefault_onEveryCommandThatTakesIt() {
    List<String> takers = new ArrayList<>();
    for (CommandSpec spec : allCommands()) {
      var actor = spec.findOption("--actor");
      if (actor != null) {
        takers.add(spec.qualifiedName());
        assertEquals(
            List.of(
                "Who makes the change, for the alias history (default GITHUB_ACTOR, then the user name)."),
            List.of(actor.description()),
            spec.qualifiedName());
      }
    }
    assertEquals(
        List.of(
            "cdnpub publish",
            "cdnpub alias set",
            "cdnpub alias promote",
            "cdnpub rollback",
            "cdnpub yank"),
        takers);
  }

  @Test
  void mistypedSubcommand_oneEditAway_isSuggestedFirst() {
    CliRun run = CliRun.run(work, Map.of(), "alias", "st", "v1", "1.0.0");
    assertEquals(2, run.exitCode, run.toString());
    assertTrue(run.err.contains("; did you mean set"), run.err);
    CliRun history = CliRun.run(work, Map.of(), "alias", "histroy", "v1");
    assertTrue(history.err.contains("; did you mean history"), history.err);
  }

  @Test
  void bareCdnpub_listsEveryCommand_completionIncluded() {
    CliRun run = CliRun.run(work, Map.of());
    assertEquals(2, run.exitCode, run.toString());
    assertTrue(
        run.err.contains(
            "a command is needed: publish, alias, rollback, yank, versions, show, verify, snippet,"
                + " serve, worker or completion (see cdnpub --help)."),
        run.err);
    for (String name : allCommands().get(0).subcommands().keySet()) {
      assertTrue(run.err.contains(" " + name), name + " missing from: " + run.err);
    }
  }

  @Test
  void rootHelp_listsEveryCommand_thoughACommandLineBuildsOnlyTheCommandItNames() {
    // Cli adds only the named subcommand to the tree; help of the root must still see them all.
    for (String help : List.of("--help", "-h")) {
      CliRun run = CliRun.run(work, Map.of(), help);
      assertEquals(0, run.exitCode, run.toString());
      for (Class<?> sub : CdnpubCommand.SUBCOMMANDS) {
        String name = sub.getAnnotation(picocli.CommandLine.Command.class).name();
        assertTrue(run.out.contains("\n  " + name + " "), name + " missing from: " + run.out);
      }
    }
    CliRun publishHelp = CliRun.run(work, Map.of(), "publish", "--help");
    assertEquals(0, publishHelp.exitCode, publishHelp.toString());
    assertTrue(publishHelp.out.startsWith("Usage: cdnpub publish"), publishHelp.out);
  }
}
