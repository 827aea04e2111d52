package dev.cdnpub.cli;

import dev.cdnpub.app.ApiFactory;
import dev.cdnpub.app.Application;
import dev.cdnpub.app.StoreFactory;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * Everything a command may touch outside itself: environment, working folder, terminal, clock and
 * the factories of remote clients. Built in {@link Main} from the real process, in tests from
 * values, so the whole CLI runs in-process.
 */
public record RunContext(
    Map<String, String> env,
    Path workDir,
    Console console,
    Clock clock,
    StoreFactory stores,
    ApiFactory apis) {

  /** This context with another console (a quiet one for --quiet, see {@link Console#quiet}). */
  RunContext withConsole(Console other) {
    return new RunContext(env, workDir, other, clock, stores, apis);
  }

  /** The composition root of this run; notices (long retry waits) go to stderr, redacted. */
  public Application app() {
    return new Application(
        env, workDir, clock, line -> console.err("cdnpub: " + line), stores, apis);
  }
}
