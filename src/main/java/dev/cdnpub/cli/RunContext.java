package dev.cdnpub.cli;

import dev.cdnpub.config.Settings;
import dev.cdnpub.config.SettingsResolver;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * Everything a command may touch outside itself: environment, working folder, terminal, clock and
 * the factories of remote clients. Built in {@link Main} from the real process, in tests from
 * values, so the whole CLI runs in-process.
 */
public record RunContext(
    Map<String, String> env, Path workDir, Console console, Clock clock, StoreFactory stores, ApiFactory apis) {

  public Settings settings(SettingsResolver.Flags flags) {
    return new SettingsResolver(env, workDir).resolve(flags);
  }

  /** Whether this run is inside a CI job ({@code CI} set to anything but empty or "false"). */
  public boolean inCi() {
    String ci = env.get("CI");
    return ci != null && !ci.isBlank() && !ci.equalsIgnoreCase("false") && !ci.equals("0");
  }
}
