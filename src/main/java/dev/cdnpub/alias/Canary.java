package dev.cdnpub.alias;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.cdnpub.core.CdnpubException;
import dev.cdnpub.core.ExitCode;
import dev.cdnpub.core.Jackson;
import java.util.Map;

/**
 * A canary on an alias: {@code percent} of the clients (1 to 99) get {@code version}, the others
 * the alias's stable version. A client's side is the first 4 bytes of SHA-256 of {@code
 * "{CF-Connecting-IP}\n{library}/{alias}"} as an unsigned big-endian number, mod 100: below the
 * percent is the canary side (docs/aliases.md). The Worker reads it from the KV key's metadata.
 */
public record Canary(String version, int percent) {
  public static final int MIN_PERCENT = 1;
  public static final int MAX_PERCENT = 99;

  /** Refuses a percent outside 1–99 with exit 2. */
  public static int requirePercent(int percent) {
    if (percent < MIN_PERCENT || percent > MAX_PERCENT) {
      throw CdnpubException.usage(
          "--canary takes a whole percent from "
              + MIN_PERCENT
              + " to "
              + MAX_PERCENT
              + ", not "
              + percent
              + " (use cdnpub alias promote to move everyone, cdnpub rollback to end a canary).");
    }
    return percent;
  }

  /**
   * The KV metadata that carries this canary: {@code {"canary":{"version":"1.2.4","percent":25}}}.
   */
  public String kvMetadata() {
    try {
      return Jackson.MAPPER.writeValueAsString(Map.of("canary", this));
    } catch (JsonProcessingException e) {
      throw new CdnpubException(ExitCode.INTERNAL, "cannot write canary metadata", e);
    }
  }

  /** How an alias's value reads: {@code 1.2.3}, or {@code 1.2.3, canary 1.2.4 at 25%}. */
  public static String describe(String stable, Canary canary) {
    return canary == null ? stable : stable + ", canary " + canary;
  }

  @Override
  public String toString() {
    return version + " at " + percent + "%";
  }
}
