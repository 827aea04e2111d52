package dev.cdnpub.testing;

import dev.cdnpub.app.StoreFactory;
import dev.cdnpub.cli.Cli;
import dev.cdnpub.cli.Console;
import dev.cdnpub.cli.RunContext;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

/** Runs the whole CLI in-process with a given environment and working folder; captures output. */
public final class CliRun {
  public final int exitCode;
  public final String out;
  public final String err;

  private CliRun(int exitCode, String out, String err) {
    this.exitCode = exitCode;
    this.out = out;
    this.err = err;
  }

  /** The clock of a run: it stands still, so that output with times can be compared whole. */
  private static final Clock STILL =
      Clock.fixed(Instant.parse("2026-11-22T12:00:00Z"), ZoneOffset.UTC);

  public static CliRun run(Path workDir, Map<String, String> env, String... args) {
    return run(workDir, env, dev.cdnpub.app.ApiFactory.DEFAULT, args);
  }

  /** As {@link #run(Path, Map, String...)}, with the Cloudflare API client made by {@code apis}. */
  public static CliRun run(
      Path workDir, Map<String, String> env, dev.cdnpub.app.ApiFactory apis, String... args) {
    return run(workDir, env, StoreFactory.DEFAULT, apis, args);
  }

  /**
   * As {@link #run(Path, Map, String...)}, with stores opened by {@code stores}, API clients by
   * {@code apis}.
   */
  public static CliRun run(
      Path workDir,
      Map<String, String> env,
      StoreFactory stores,
      dev.cdnpub.app.ApiFactory apis,
      String... args) {
    return run(workDir, env, stores, apis, false, STILL, args);
  }

  /**
   * As {@link #run(Path, Map, String...)}, with a console whose stderr counts as a terminal (where
   * publish draws its progress line); the clock stands still.
   */
  public static CliRun onTerminal(Path workDir, Map<String, String> env, String... args) {
    return run(
        workDir, env, StoreFactory.DEFAULT, dev.cdnpub.app.ApiFactory.DEFAULT, true, STILL, args);
  }

  /**
   * As {@link #run(Path, Map, String...)}, on the system clock: for what depends on time passing
   * (publish times its first writes to choose how many uploads to keep in flight).
   */
  public static CliRun onSystemClock(Path workDir, Map<String, String> env, String... args) {
    return run(
        workDir,
        env,
        StoreFactory.DEFAULT,
        dev.cdnpub.app.ApiFactory.DEFAULT,
        false,
        Clock.systemUTC(),
        args);
  }

  private static CliRun run(
      Path workDir,
      Map<String, String> env,
      StoreFactory stores,
      dev.cdnpub.app.ApiFactory apis,
      boolean errTerminal,
      Clock clock,
      String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Map<String, String> environment = new HashMap<>(env);
    PrintWriter o = new PrintWriter(out, true);
    PrintWriter e = new PrintWriter(err, true);
    RunContext ctx =
        new RunContext(
            environment, workDir, new Console(o, e, environment, errTerminal), clock, stores, apis);
    int code = new Cli(ctx).run(args);
    return new CliRun(code, out.toString(), err.toString());
  }

  /** Each stdout line up to its first double space: the version column of {@code versions}. */
  public java.util.List<String> firstColumn() {
    return out.lines().map(l -> l.split("  ", 2)[0]).toList();
  }

  public String all() {
    return out + err;
  }

  @Override
  public String toString() {
    return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
  }
}
