package dev.cdnpub.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cdnpub.core.CdnpubException;
import dev.cdnpub.core.ExitCode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Constructor;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.IFactory;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Builds the command line and runs it: the one error path. Every failure ends here as one line on
 * stderr ("cdnpub: …") and an exit code; the cause chain only with {@code --verbose}. With {@code
 * --json} anywhere on the command line, every exit also prints exactly one JSON object on stdout:
 * the command's result, or {@code {"status":"error","exitCode":N,"message":…}} for any failure, a
 * command line picocli cannot parse included.
 */
public final class Cli {
  private final RunContext ctx;

  public Cli(RunContext ctx) {
    this.ctx = ctx;
  }

  /** The command tree with this run's context, as {@link #run} executes it. */
  CommandLine commandLine() {
    return commandLine(ctx);
  }

  private static CommandLine commandLine(RunContext commandContext) {
    return new CommandLine(new CdnpubCommand(commandContext), new ContextFactory(commandContext));
  }

  public int run(String... args) {
    // From the raw arguments, not the parse result: a command line that does not parse has none.
    boolean json = Arrays.asList(args).contains("--json");
    // --quiet: the command prints nothing; a failure still prints its sentence (through ctx below).
    boolean quiet = Arrays.asList(args).contains("--quiet") || Arrays.asList(args).contains("-q");
    if (quiet && json) {
      fail(
          null,
          CdnpubException.usage("--quiet and --json contradict each other; give one."),
          true,
          false);
      return ExitCode.USAGE.code();
    }
    CommandLine cmd = commandLine(quiet ? ctx.withConsole(ctx.console().silenced()) : ctx);
    // --help and --version print through picocli; with --json their text becomes the one object
    StringWriter helpText = new StringWriter();
    cmd.setOut(json ? new PrintWriter(helpText) : ctx.console().rawOut());
    cmd.setErr(ctx.console().rawErr());
    cmd.setCaseInsensitiveEnumValuesAllowed(true);
    cmd.setParameterExceptionHandler(
        (ex, ignored) -> {
          CommandLine failed = ex.getCommandLine();
          fail(
              failed,
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
          fail(commandLine, failure, json, matched(parseResult, "--verbose"));
          return failure.exitCode().code();
        });
    int code = cmd.execute(args);
    if (json && !helpText.toString().isEmpty()) {
      ObjectNode help = Json.object();
      help.put("status", "help");
      help.put("exitCode", code);
      help.put("message", helpText.toString());
      ctx.console().out(Json.write(help));
    }
    return code;
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
  private void fail(
      CommandLine commandLine, CdnpubException failure, boolean json, boolean verbose) {
    ctx.console().err("cdnpub: " + failure.getMessage());
    if (json) {
      ObjectNode error = Json.object();
      String command = commandName(commandLine);
      if (command != null) {
        error.put("command", command);
      }
      error.put("status", "error");
      error.put("exitCode", failure.exitCode().code());
      error.put("message", failure.getMessage());
      ctx.console().out(Json.write(error));
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

  /** Creates command objects with the run's context; picocli's own classes the usual way. */
  private record ContextFactory(RunContext ctx) implements IFactory {
    @Override
    public <K> K create(Class<K> cls) throws Exception {
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
