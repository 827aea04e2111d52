package dev.cdnpub.cli;

/** The {@code --actor} option that every command recording an alias change takes. */
final class ActorOption {
  /** Its help text, the same on every command; the order is Settings#actor's. */
  static final String DESCRIPTION =
      "Who makes the change, for the alias history (default GITHUB_ACTOR, then the user name).";

  private ActorOption() {}
}
