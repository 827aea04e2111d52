package dev.cdnpub.alias;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One change of one alias, stored create-only at its sequence number; the newest entry is the
 * alias's value. {@code undoes} is set on rollbacks (and yank moves): the sequence number of the
 * oldest change it reverts, so that repeated rollbacks walk further back instead of flip-flopping.
 * {@code writer} is random per attempt: when a retried write finds its sequence number taken, it
 * tells the writer's own earlier attempt (whose answer was lost) from another writer's entry.
 *
 * <p>{@code to} is always the version every client gets unless {@code canary} is set (then it is
 * the stable side of the split). {@code canary} is absent from entries written before canaries
 * existed, and a reader that does not know it sees the alias as an older Worker serves it.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AliasEntry(
    int schema,
    String library,
    String alias,
    long seq,
    String from,
    String to,
    String at,
    String cause,
    String actor,
    Long undoes,
    String reason,
    String writer,
    Canary canary) {

  /** The schema version this cdnpub writes. */
  public static final int SCHEMA = 1;

  /**
   * A forward move ({@code cause} publish, set, canary, ramp or promote) from {@code from} (null:
   * new alias) to {@code to}, with {@code canary} (null: none) in effect afterwards.
   */
  static AliasEntry move(
      String library,
      String alias,
      long seq,
      String from,
      String to,
      String at,
      String cause,
      String actor,
      String writer,
      Canary canary) {
    return new AliasEntry(
        SCHEMA, library, alias, seq, from, to, at, cause, actor, null, null, writer, canary);
  }

  /**
   * A move back ({@code cause} rollback or yank) that reverts the change at sequence {@code
   * undoes}; {@code reason}: why (a yank's reason), or null. A move back never leaves a canary.
   */
  static AliasEntry undo(
      String library,
      String alias,
      long seq,
      String from,
      String to,
      String at,
      String cause,
      String actor,
      long undoes,
      String reason,
      String writer) {
    return new AliasEntry(
        SCHEMA, library, alias, seq, from, to, at, cause, actor, undoes, reason, writer, null);
  }
}
