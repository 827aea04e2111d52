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

  /**
   * Settings for a command that reads or writes a store: in CI, the store must be chosen
   * explicitly, because a CI job's working folder (and a local store in it) vanishes with the job,
   * and reading an empty local store would make a job "succeed" against nothing.
   */
  public Settings storeSettings(SettingsResolver.Flags flags) {
    Settings settings = settings(flags);
    if (!settings.targetExplicit() && inCi()) {
      throw dev.cdnpub.core.CdnpubException.usage(
          "CI is set but no target was chosen, and a CI job must not use a local folder that vanishes with it: "
              + "set CDNPUB_TARGET=r2 with CDNPUB_R2_BUCKET, CLOUDFLARE_ACCOUNT_ID, R2_ACCESS_KEY_ID and R2_SECRET_ACCESS_KEY "
              + "(or pass --target local to use the local store on purpose).");
    }
    return settings;
  }

  /**
   * The Cloudflare API client for this run: a long wait before a retry is announced on stderr
   * ("cdnpub: Cloudflare API answered 429 (…); retrying in 12 s (attempt 2 of 4)"), redacted.
   */
  public dev.cdnpub.cloudflare.CloudflareApi cloudflareApi(String baseUrl, String token) {
    return apis.open(baseUrl, token, line -> console.err("cdnpub: " + line));
  }

  /** Whether this run is inside a CI job ({@code CI} set to anything but empty or "false"). */
  public boolean inCi() {
    String ci = env.get("CI");
    return ci != null && !ci.isBlank() && !ci.equalsIgnoreCase("false") && !ci.equals("0");
  }
}
