package dev.cdnpub.publish;

import java.util.Locale;
import java.util.Optional;

/**
 * Where one version is in its life: {@code claimed} (a publish reserved it for one file set and has
 * not sealed it yet: interrupted, or running now), {@code sealed} (published), {@code yanked}
 * (sealed, then withdrawn from aliases; its files stay). A version with none of these records is
 * free. See docs/design.md for the state machine.
 */
public record ReleaseStatus(
    String library,
    ReleaseVersion version,
    State state,
    Optional<Claim> claim,
    Optional<Manifest> manifest,
    Optional<YankRecord> yank) {

  public enum State {
    CLAIMED,
    SEALED,
    YANKED;

    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }
  }
}
