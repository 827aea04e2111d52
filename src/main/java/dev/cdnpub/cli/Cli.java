package dev.cdnpub.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cdnpub.core.CdnpubException;
import dev.cdnpub.core.ExitCode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Constructor;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IFactory;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Builds the command line and runs it: the one error path. Every failure ends here as one line on
 * stderr ("cdnpub: …") and an exit code; the cause chain only with {@code --verbose}. With {@code
 * --json} anywhere on the command line, every exit also prints exactly one JSON object on stdout:
 * the command's result, or {@code {"status":"error","exitCode":N,"message":…}} for any failure, a
 * command line picocli cannot parse included. Every object gets its {@code command}, {@code status}
 * and {@code exitCode} here ({@link Json#result}), never from the command itself.
 */
public final class Cli {
  private final RunContext ctx;

  public Cli(RunContext ctx) {
    this.ctx = ctx;
  }

  /** The whole command tree with this run's context. */
  CommandLine commandLine() {
    return commandLine(new ContextFactory(ctx, ctx), null);
  }

  /**
   * The root command with the subcommand {@code args} names first, or with all of them when the
   * first argument names none (help, a mistyped name) or asks for the completion script, which
   * covers the whole tree.
   */
  private static CommandLine commandLine(IFactory factory, String[] args) {
    CommandLine root = new CommandLine(CdnpubCommand.class, factory);
    Class<?> named = args == null || args.length == 0 ? null : subcommandNamed(args[0]);
    for (Class<?> sub : CdnpubCommand.SUBCOMMANDS) {
      if (named == null || named == CompletionCommand.class || sub == named) {
        root.addSubcommand(new CommandLine(sub, factory));
      }
    }
    return root;
  }

  private static Class<?> subcommandNamed(String name) {
    for (Class<?> sub : CdnpubCommand.SUBCOMMANDS) {
      Command command = sub.getAnnotation(Command.class);
      if (command.name().equals(name) || Arrays.asList(command.aliases()).contains(name)) {
        return sub;
      }
    }
    return null;
  }

  public int run(String... args) {
    // From the raw arguments, not the parse result: a command line that does not parse has none.
    boolean json = Arrays.asList(args).contains("--json");
    // --quiet: no chatter (see AnswerCommand); a failure still prints its sentence (through ctx).
    boolean quiet = Arrays.asList(args).contains("--quiet") || Arrays.asList(args).contains("-q");
    // The command the line names, once it is parsed: every JSON object carries it (Json.result).
    AtomicReference<CommandLine> named = new AtomicReference<>();
    Console console =
        ctx.console().completingJson(fields -> Json.result(commandName(named.get()), fields));
    CommandLine cmd = commandLine(ctx.withConsole(console), quiet, args);
    // --help and --version print through picocli; with --json their text becomes the one object
    StringWriter helpText = new StringWriter();
    cmd.setOut(json ? new PrintWriter(helpText) : ctx.console().rawOut());
    cmd.setErr(ctx.console().rawErr());
    cmd.setCaseInsensitiveEnumValuesAllowed(true);
    cmd.setExecutionStrategy(
        parsed -> {
          ParseResult leaf = parsed;
          while (leaf.subcommand() != null) {
            leaf = leaf.subcommand();
          }
          named.set(leaf.commandSpec().commandLine());
          if (quiet && json) {
            throw new ParameterException(
                named.get(), "--quiet and --json contradict each other; give one.");
          }
          return new CommandLine.RunLast().execute(parsed);
        });
    cmd.setParameterExceptionHandler(
        (ex, ignored) -> {
          CommandLine failed = ex.getCommandLine();
          named.set(failed);
          fail(
              console,
              new CdnpubException(ExitCode.USAGE, ex.getMessage() + nearMiss(ex)),
              json,
              false);
          ctx.console().err("Try '" + failed.getCommandSpec().qualifiedName() + " --help'.");
          return ExitCode.USAGE.code();
        });
    cmd.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          CdnpubException failure =
              ex instanceof CdnpubException c
                  ? c
                  : new CdnpubException(ExitCode.INTERNAL, "internal error: " + ex, ex);
          fail(console, failure, json, matched(parseResult, "--verbose"));
          return failure.exitCode().code();
        });
    int code = cmd.execute(args);
    if (json && !helpText.toString().isEmpty()) {
      ObjectNode help = Json.object();
      help.put("exitCode", code);
      help.put("message", helpText.toString());
      console.json(help);
    }
    return code;
  }

  /**
   * The command tree; under --quiet each command gets the console {@link Console#quiet} makes for
   * it, keeping stdout for an {@link AnswerCommand}.
   */
  private static CommandLine commandLine(RunContext commandContext, boolean quiet, String[] args) {
    if (!quiet) {
      return commandLine(new ContextFactory(commandContext, commandContext), args);
    }
    Console console = commandContext.console();
    return commandLine(
        new ContextFactory(
            commandContext.withConsole(console.quiet(false)),
            commandContext.withConsole(console.quiet(true))),
        args);
  }

  /** "; did you mean …?" for a mistyped subcommand or option (picocli's suggestions), else "". */
  private static String nearMiss(ParameterException ex) {
    if (!(ex instanceof UnmatchedArgumentException unmatched)) {
      return "";
    }
    List<String> suggestions = Suggestions.of(unmatched);
    return suggestions.isEmpty() ? "" : "; did you mean " + String.join(" or ", suggestions) + "?";
  }

  /**
   * The sentence on stderr; with --json the error object on stdout; with --verbose the cause chain.
   */
  private void fail(Console console, CdnpubException failure, boolean json, boolean verbose) {
    ctx.console().err("cdnpub: " + failure.getMessage());
    if (json) {
      ObjectNode error = Json.object();
      error.put("status", "error");
      error.put("exitCode", failure.exitCode().code());
      error.put("message", failure.getMessage());
      console.json(error);
    }
    if (verbose && failure.getCause() != null) {
      ctx.console().errStackTrace(failure.getCause());
    }
  }

  /** "publish", "alias set", as in the results' "command"; null for cdnpub itself. */
  private static String commandName(CommandLine commandLine) {
    if (commandLine == null || commandLine.getParent() == null) {
      return null;
    }
    String qualified = commandLine.getCommandSpec().qualifiedName(" ");
    return qualified.substring(qualified.indexOf(' ') + 1);
  }

  private static boolean matched(ParseResult result, String option) {
    for (ParseResult r = result; r != null; r = r.subcommand()) {
      if (r.hasMatchedOption(option)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Creates command objects with the run's context ({@code answers} for an {@link AnswerCommand},
   * {@code actions} for the others); picocli's own classes the usual way.
   */
  private record ContextFactory(RunContext actions, RunContext answers) implements IFactory {
    @Override
    public <K> K create(Class<K> cls) throws Exception {
      RunContext ctx = AnswerCommand.class.isAssignableFrom(cls) ? answers : actions;
      try {
        Constructor<K> withContext = cls.getDeclaredConstructor(RunContext.class);
        withContext.setAccessible(true);
        return withContext.newInstance(ctx);
      } catch (NoSuchMethodException e) {
        return CommandLine.defaultFactory().create(cls);
      }
    }
  }
}
