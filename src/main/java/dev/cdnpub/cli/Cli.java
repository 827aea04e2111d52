package dev.cdnpub.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cdnpub.core.CdnpubException;
import dev.cdnpub.core.ExitCode;
import java.lang.reflect.Constructor;
import picocli.CommandLine;
import picocli.CommandLine.IFactory;
import picocli.CommandLine.ParseResult;

/**
 * Builds the command line and runs it: the one error path. Every failure ends here as one line on
 * stderr ("cdnpub: …") and an exit code; the cause chain only with {@code --verbose}.
 */
public final class Cli {
  private final RunContext ctx;

  public Cli(RunContext ctx) {
    this.ctx = ctx;
  }

  public int run(String... args) {
    CommandLine cmd = new CommandLine(new CdnpubCommand(ctx), new ContextFactory(ctx));
    cmd.setOut(ctx.console().rawOut());
    cmd.setErr(ctx.console().rawErr());
    cmd.setCaseInsensitiveEnumValuesAllowed(true);
    cmd.setParameterExceptionHandler(
        (ex, args1) -> {
          ctx.console().err("cdnpub: " + ex.getMessage());
          CommandLine failed = ex.getCommandLine();
          ctx.console().err("Try '" + failed.getCommandSpec().qualifiedName() + " --help'.");
          return ExitCode.USAGE.code();
        });
    cmd.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          boolean verbose = matched(parseResult, "--verbose");
          boolean json = matched(parseResult, "--json");
          CdnpubException failure =
              ex instanceof CdnpubException c
                  ? c
                  : new CdnpubException(ExitCode.INTERNAL, "internal error: " + ex, ex);
          ctx.console().err("cdnpub: " + failure.getMessage());
          if (json) {
            ObjectNode error = Json.object();
            error.put("status", "error");
            error.put("exitCode", failure.exitCode().code());
            error.put("error", failure.getMessage());
            ctx.console().out(Json.write(error));
          }
          if (verbose && failure.getCause() != null) {
            ctx.console().errStackTrace(failure.getCause());
          }
          return failure.exitCode().code();
        });
    return cmd.execute(args);
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
