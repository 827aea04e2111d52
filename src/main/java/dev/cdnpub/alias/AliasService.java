package dev.cdnpub.alias;

import dev.cdnpub.core.CdnpubException;
import dev.cdnpub.core.ExitCode;
import dev.cdnpub.core.Hints;
import dev.cdnpub.core.Jackson;
import dev.cdnpub.core.Threads;
import dev.cdnpub.publish.Keys;
import dev.cdnpub.publish.ReleaseCatalog;
import dev.cdnpub.publish.ReleaseVersion;
import dev.cdnpub.publish.YankRecord;
import dev.cdnpub.store.Body;
import dev.cdnpub.store.CreateResult;
import dev.cdnpub.store.ObjectMetadata;
import dev.cdnpub.store.ObjectStore;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Moves, sets, rolls back and yanks aliases of one library. Every change is first appended to the
 * {@link AliasLog} (create-only, so concurrent writers are serialized by sequence number), then
 * written to KV from the log. A KV failure after the log moved leaves the log right and KV behind;
 * re-running the command or {@link #sync()} repairs KV.
 */
public final class AliasService {
  /** How often a writer that lost a sequence number re-reads and tries again. */
  static final int MAX_ATTEMPTS = 32;

  private final ObjectStore store;
  private final AliasKv kv;
  private final AliasLog log;
  private final String library;
  private final Clock clock;
  private final String actor;
  private final Hints hints;

  /**
   * @param hints builds the command lines that messages suggest
   */
  public AliasService(
      ObjectStore store, AliasKv kv, String library, Clock clock, String actor, Hints hints) {
    this.store = store;
    this.kv = kv;
    this.log = new AliasLog(store, library);
    this.library = library;
    this.clock = clock;
    this.actor = actor;
    this.hints = hints;
  }

  public AliasLog log() {
    return log;
  }

  /**
   * After {@code version} is sealed: moves {@code latest}, {@code vMAJOR} and {@code vMAJOR.MINOR}
   * to it when it is higher than their value (never for a prerelease or a yanked version), and
   * points each tag at it. Always brings KV up to date for those aliases, so a re-run repairs a
   * failed sync.
   */
  public AliasResult onPublish(ReleaseVersion version, List<AliasName> tags) {
    return onPublish(version, tags, false);
  }

  /**
   * As {@link #onPublish(ReleaseVersion, List)}; {@code firstRun} (this run claimed the version)
   * skips looking for an earlier run's moves in the alias histories, which cannot exist.
   */
  public AliasResult onPublish(ReleaseVersion version, List<AliasName> tags, boolean firstRun) {
    List<AliasName> candidates = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    if (!version.isPrerelease()) {
      candidates.add(AliasName.latest());
      candidates.add(AliasName.major(version.major()));
      candidates.add(AliasName.minor(version.major(), version.minor()));
    }
    candidates.addAll(tags);
    // No alias moves to a yanked version. The check travels beside each alias's first read of its
    // log (a round trip fewer), and every move waits for its answer before it decides, so nothing
    // is appended before the check has answered.
    CompletableFuture<Boolean> yankedBefore =
        Threads.start("cdnpub-yank-check", () -> isYanked(version));
    // Each alias has its own log, so the aliases move independently, at the same time: a publish
    // waits for one alias's round trips instead of the sum over latest, vN, vN.M and the tags.
    List<AliasChange> changes = new ArrayList<>();
    Set<String> inCanary = ConcurrentHashMap.newKeySet();
    for (Optional<AliasChange> moved :
        eachAtOnce(
            candidates,
            alias -> {
              if (!firstRun && publishedBefore(alias, version)) {
                // A re-run of this publish: its move happened already, and whatever moved the alias
                // since
                // (a rollback, a deliberate alias set) must not be undone by re-running CI.
                return Optional.<AliasChange>empty();
              }
              boolean tag = alias.kind() == AliasName.Kind.TAG;
              return move(
                  alias,
                  current -> {
                    if (Threads.join(yankedBefore, "checking for a yank")) {
                      return null;
                    }
                    Next next = new Next(version.toString(), null, "publish");
                    if (current == null) {
                      return next;
                    }
                    if (current.canary() != null) {
                      // A canary is a rollout in progress: a publish must not skip it by moving
                      // everyone at once. Its owner promotes, ends or re-aims it.
                      inCanary.add(alias.name());
                      return null;
                    }
                    inCanary.remove(alias.name());
                    if (tag) {
                      return current.to().equals(version.toString()) ? null : next;
                    }
                    return version.compareTo(ReleaseVersion.parse(current.to())) > 0 ? next : null;
                  });
            })) {
      moved.ifPresent(changes::add);
    }
    List<AliasName> aliases = candidates;
    if (Threads.join(yankedBefore, "checking for a yank")) {
      warnings.add(version + " is yanked; no alias moves to it.");
      aliases = List.of();
    }
    for (AliasName alias : aliases) {
      if (inCanary.contains(alias.name())) {
        warnings.add(
            alias
                + " has a canary in progress, so it was not moved to "
                + version
                + " (see "
                + hints.command("alias get " + alias)
                + ").");
      }
    }
    if (!changes.isEmpty() && isYanked(version)) {
      // A yank of this version raced our moves: it writes its record before looking for aliases
      // on the version, and we look for the record after moving, so one of us sees the other.
      for (AliasChange change : List.copyOf(changes)) {
        moveOffYanked(AliasName.parse(change.alias()), null).ifPresent(changes::add);
      }
      warnings.add(version + " was yanked while publishing; its aliases moved back.");
    }
    syncAfter(aliases.stream().map(AliasName::name).toList(), changes);
    return new AliasResult(changes, warnings);
  }

  /**
   * Reads one KV key to prove the namespace exists and the token is accepted, so that a wrong
   * setting fails before anything is written (publish calls it before uploading). A token that may
   * read but not write still passes; its failure then comes after the alias record moved.
   */
  public static void preflight(AliasKv kv, String library) {
    kv.get(Keys.kv(library, "latest"));
  }

  private boolean publishedBefore(AliasName alias, ReleaseVersion version) {
    return log.history(alias.name()).stream()
        .anyMatch(e -> "publish".equals(e.cause()) && version.toString().equals(e.to()));
  }

  /** Points {@code alias} at a sealed {@code version} for everyone, ending any canary. */
  public AliasResult set(AliasName alias, ReleaseVersion version, boolean force) {
    requireAdmissible(alias, version, force);
    List<String> warnings = new ArrayList<>();
    Optional<AliasChange> change =
        move(
            alias,
            current ->
                current != null
                        && current.canary() == null
                        && version.toString().equals(current.to())
                    ? null
                    : new Next(version.toString(), null, "set"));
    change.ifPresent(
        c -> {
          if (c.from() != null
              && alias.kind() == AliasName.Kind.LATEST
              && version.compareTo(ReleaseVersion.parse(c.from())) < 0) {
            warnings.add("latest moved backwards, from " + c.from() + " to " + version + ".");
          }
          if (c.fromCanary() != null) {
            warnings.add(
                alias + "'s canary (" + c.fromCanary() + ") ended; everyone gets " + version + ".");
          }
        });
    if (change.isEmpty()) {
      warnings.add(alias + " already points at " + version + ".");
    }
    List<AliasChange> changes = new ArrayList<>(change.stream().toList());
    if (change.isPresent() && !force && isYanked(version)) {
      // A yank of this version raced the set: it looked for aliases on the version before our entry
      // landed, so it could not move this one. Move it back here, as the yank would have.
      Optional<AliasChange> back = moveOffYanked(alias, null);
      back.ifPresent(changes::add);
      warnings.add(
          version
              + " was yanked while pointing "
              + alias
              + " at it; "
              + back.map(b -> alias + " moved back to " + b.to() + ".")
                  .orElse(
                      alias
                          + " has no earlier version that is not yanked, so it still points at it."));
    }
    syncAfter(List.of(alias.name()), changes);
    return new AliasResult(changes, warnings);
  }

  /**
   * Starts or ramps a canary: {@code percent} (1–99) of the clients of {@code alias} get {@code
   * version}, the others keep its current version. The version obeys the rules of {@link #set}
   * (sealed, major/minor match, yanked only with {@code force}) and must differ from the current
   * version; the alias must exist (exit 4). The same version at another percent is a ramp.
   */
  public AliasResult canary(AliasName alias, ReleaseVersion version, int percent, boolean force) {
    Canary.requirePercent(percent);
    requireAdmissible(alias, version, force);
    String target = version.toString();
    List<String> warnings = new ArrayList<>();
    Optional<AliasChange> change =
        move(
            alias,
            current -> {
              if (current == null) {
                throw CdnpubException.notFound(
                    library
                        + " has no alias "
                        + alias
                        + ", and a canary splits an alias's clients between its version and another: point it at a version first ("
                        + hints.command("alias set " + alias + " VERSION")
                        + ").");
              }
              if (current.to().equals(target)) {
                throw CdnpubException.usage(
                    alias
                        + " already points at "
                        + target
                        + " for everyone; a canary needs another version.");
              }
              Canary canary = new Canary(target, percent);
              if (canary.equals(current.canary())) {
                return null;
              }
              boolean ramp = current.canary() != null && current.canary().version().equals(target);
              return new Next(current.to(), canary, ramp ? "ramp" : "canary");
            });
    if (change.isEmpty()) {
      warnings.add(alias + " already sends " + percent + "% of its clients to " + target + ".");
    } else if (!force && isYanked(version)) {
      // A yank of this version raced the canary: it looked for aliases on the version before our
      // entry landed, so it could not end this canary. End it here, as the yank would have.
      Optional<AliasChange> ended = moveOffYanked(alias, null);
      syncAfter(
          List.of(alias.name()),
          ended.map(e -> List.of(change.get(), e)).orElse(List.of(change.get())));
      warnings.add(version + " was yanked while starting the canary; the canary ended.");
      List<AliasChange> changes = new ArrayList<>(change.stream().toList());
      ended.ifPresent(changes::add);
      return new AliasResult(changes, warnings);
    }
    syncAfter(List.of(alias.name()), change.stream().toList());
    return new AliasResult(change.stream().toList(), warnings);
  }

  /**
   * Ends the canary of {@code alias} by moving everyone to the canary version: the one read first,
   * which {@code expected} (null: any) must name. Exit 4 when the alias does not exist, 2 when it
   * has no canary, 3 when the canary is not {@code expected} or another writer ended or re-aimed it
   * while this ran (nothing is promoted then: never a version the operator did not see). Promoting
   * a yanked version (a canary started with {@code --force}) warns.
   */
  public AliasResult promote(AliasName alias, ReleaseVersion expected) {
    AliasEntry seen =
        log.current(alias.name())
            .orElseThrow(() -> CdnpubException.notFound(library + " has no alias " + alias + "."));
    if (seen.canary() == null) {
      throw CdnpubException.usage(
          alias
              + " has no canary to promote; start one with "
              + hints.command("alias set " + alias + " VERSION --canary PERCENT")
              + ".");
    }
    String version = seen.canary().version();
    if (expected != null && !expected.toString().equals(version)) {
      throw CdnpubException.conflict(
          alias
              + "'s canary is "
              + seen.canary()
              + ", not "
              + expected
              + "; nothing was promoted (see "
              + hints.command("alias get " + alias)
              + ").");
    }
    preflight(kv, library);
    List<AliasEntry> changed = new ArrayList<>(1);
    Optional<AliasChange> change =
        move(
            alias,
            current -> {
              if (current.canary() == null || !current.canary().version().equals(version)) {
                // Another writer ended or re-aimed the canary after we read it: promoting what is
                // there now would send everyone to a version the operator never chose.
                changed.add(current);
                return null;
              }
              return new Next(version, null, "promote");
            });
    if (!changed.isEmpty()) {
      AliasEntry now = changed.get(0);
      syncAfter(List.of(alias.name()), List.of());
      throw CdnpubException.conflict(
          alias
              + " changed while promoting its canary "
              + version
              + " (now "
              + Canary.describe(now.to(), now.canary())
              + ", "
              + now.cause()
              + " by "
              + now.actor()
              + "); nothing was promoted: check "
              + hints.command("alias get " + alias)
              + " and promote again if still wanted.");
    }
    List<String> warnings = new ArrayList<>();
    if (change.isPresent() && isYanked(ReleaseVersion.parse(version))) {
      warnings.add(everyoneOnYanked(alias, version));
    }
    syncAfter(List.of(alias.name()), change.stream().toList());
    return new AliasResult(change.stream().toList(), warnings);
  }

  /** The checks {@link #set} and {@link #canary} share; exit 4 or 2 before anything is written. */
  private void requireAdmissible(AliasName alias, ReleaseVersion version, boolean force) {
    requireSealed(version);
    preflight(kv, library);
    if (!alias.admits(version)) {
      throw CdnpubException.usage(
          alias
              + " can only point at "
              + (alias.kind() == AliasName.Kind.MAJOR
                  ? alias.major() + ".x.x"
                  : alias.major() + "." + alias.minor() + ".x")
              + " versions, not "
              + version
              + ".");
    }
    if (isYanked(version) && !force) {
      throw CdnpubException.usage(
          version + " is yanked; pass --force to point " + alias + " at it anyway.");
    }
  }

  /**
   * Points {@code alias} back at the value before its last change still in effect (or, with {@code
   * to}, at that earlier value), skipping yanked versions. An alias with a canary goes back to its
   * stable version for everyone (the canary ends; {@code to} is refused then). Fails with exit 4
   * when there is nothing to go back to, and with exit 3 when the alias changed while this ran.
   */
  public AliasResult rollback(AliasName alias, ReleaseVersion to) {
    List<AliasEntry> history = log.history(alias.name());
    if (history.isEmpty()) {
      throw CdnpubException.notFound(library + " has no alias " + alias + ".");
    }
    AliasEntry newest = history.get(history.size() - 1);
    if (newest.canary() != null && to != null) {
      throw CdnpubException.usage(
          alias
              + " has a canary in progress: '"
              + hints.command("rollback " + alias)
              + "' ends it (everyone back on "
              + newest.to()
              + "), then --to can go further back.");
    }
    preflight(kv, library);
    Deque<AliasEntry> stack = UndoStack.of(history);
    List<String> warnings = new ArrayList<>();
    AliasEntry undone;
    if (newest.canary() != null) {
      undone = canaryStart(history);
    } else if (to == null) {
      List<String> skipped = new ArrayList<>();
      undone = undoTarget(stack, skipped);
      skipped.forEach(v -> warnings.add("skipped yanked " + v + "."));
    } else {
      undone =
          stack.stream()
              .takeWhile(e -> e.from() != null)
              .filter(e -> !isCanaryStep(e) && e.from().equals(to.toString()))
              .findFirst()
              .orElse(null);
      if (undone != null && isYanked(to)) {
        throw CdnpubException.usage(
            to
                + " is yanked; a rollback never chooses a yanked version (use "
                + hints.command("alias set " + alias + " " + to + " --force")
                + ").");
      }
    }
    if (undone == null) {
      throw CdnpubException.notFound(
          to == null
              ? alias + " has no earlier value to roll back to."
              : alias
                  + " did not point at "
                  + to
                  + " before its current value "
                  + newest.to()
                  + "; see "
                  + hints.command("alias history " + alias)
                  + ".");
    }
    // Ending a canary keeps the stable version; any other rollback restores the earlier one.
    String target = newest.canary() != null ? newest.to() : undone.from();
    AliasEntry entry =
        AliasEntry.undo(
            library,
            alias.name(),
            newest.seq() + 1,
            newest.to(),
            target,
            now(),
            "rollback",
            actor,
            undone.seq(),
            null,
            writerId());
    if (!appendRollback(entry, alias)) {
      AliasEntry now = log.current(alias.name()).orElseThrow();
      syncAfter(List.of(alias.name()), List.of(), false);
      throw CdnpubException.conflict(
          alias
              + " changed while rolling back (now "
              + now.to()
              + ", "
              + now.cause()
              + " by "
              + now.actor()
              + "); check "
              + hints.command("alias history " + alias)
              + " and roll back again if still needed.");
    }
    List<AliasChange> changes = new ArrayList<>();
    changes.add(
        new AliasChange(
            alias.name(), newest.to(), target, entry.seq(), "rollback", newest.canary(), null));
    if (isYanked(ReleaseVersion.parse(target))) {
      if (newest.canary() != null) {
        // Ending a canary is one step back to the stable version, which most clients had already;
        // a yank of it that found nothing earlier left it there, so say that everyone has it now.
        warnings.add(everyoneOnYanked(alias, target));
      } else {
        // A yank of the target raced the rollback (it looked for aliases on the version before our
        // entry landed): go on as a rollback that saw the yank would have.
        changes.addAll(offYankedAfterRollback(alias, entry, newest.to(), to == null, warnings));
      }
    }
    syncAfter(List.of(alias.name()), changes, false);
    return new AliasResult(changes, warnings);
  }

  /**
   * After the rollback {@code entry} landed on a version yanked meanwhile (a rollback never chooses
   * a yanked version): a plain rollback goes on further back, past yanked versions, as if it had
   * seen the yank; a rollback {@code --to} that version ({@code further} false), or one with
   * nothing earlier, puts the alias back on {@code before}, its value before the rollback, unless
   * that is yanked too. Returns the moves made; adds a warning saying where the alias ended.
   */
  private List<AliasChange> offYankedAfterRollback(
      AliasName alias, AliasEntry entry, String before, boolean further, List<String> warnings) {
    String yanked = entry.to();
    String was = yanked + " was yanked while rolling back " + alias;
    Optional<AliasChange> back = further ? moveOffYanked(alias, null) : Optional.empty();
    if (back.isPresent()) {
      warnings.add(was + "; " + alias + " went further back, to " + back.get().to() + ".");
      return List.of(back.get());
    }
    back = putBack(alias, entry, before);
    if (back.isPresent()) {
      warnings.add(
          was
              + (further
                  ? ", and "
                      + alias
                      + " has no earlier version that is not yanked, so it is back on "
                  : " to it, so " + alias + " is back on ")
              + before
              + ".");
      return List.of(back.get());
    }
    back = further ? Optional.empty() : moveOffYanked(alias, null);
    if (back.isPresent()) {
      warnings.add(
          was
              + " to it, and "
              + before
              + " is yanked too; "
              + alias
              + " went further back, to "
              + back.get().to()
              + ".");
      return List.of(back.get());
    }
    AliasEntry now = log.current(alias.name()).orElseThrow();
    warnings.add(
        now.seq() == entry.seq()
            ? was
                + ", and "
                + alias
                + " has no other version that is not yanked; it stays on "
                + yanked
                + " ("
                + hints.command("alias set " + alias + " VERSION")
                + " points it elsewhere)."
            : was
                + ", and it has changed since (now "
                + Canary.describe(now.to(), now.canary())
                + ", "
                + now.cause()
                + " by "
                + now.actor()
                + ").");
    return List.of();
  }

  /**
   * Puts {@code alias} back on {@code before} after the rollback {@code rollback}, when that is
   * still its newest entry and {@code before} is not yanked. The entry reverts the rollback (so the
   * changes the rollback undid stay undone for later rollbacks) and has cause {@code yank}.
   */
  private Optional<AliasChange> putBack(AliasName alias, AliasEntry rollback, String before) {
    if (log.current(alias.name()).orElseThrow().seq() != rollback.seq()
        || isYanked(ReleaseVersion.parse(before))) {
      return Optional.empty();
    }
    AliasEntry back =
        AliasEntry.undo(
            library,
            alias.name(),
            rollback.seq() + 1,
            rollback.to(),
            before,
            now(),
            "yank",
            actor,
            rollback.seq(),
            null,
            writerId());
    return log.append(back)
        ? Optional.of(new AliasChange(alias.name(), rollback.to(), before, back.seq(), "yank"))
        : Optional.empty();
  }

  /** The warning for an alias that now sends every client to a yanked version. */
  private String everyoneOnYanked(AliasName alias, String version) {
    return alias
        + " now sends everyone to "
        + version
        + ", which is yanked; "
        + hints.command("alias set " + alias + " VERSION")
        + " points it elsewhere.";
  }

  /**
   * Appends a rollback entry. Unlike every other change, a rollback is not safe to repeat (a second
   * one goes further back), so when the store fails and the entry's fate is unknown (its write may
   * have landed with the answer lost), the message says to look before rolling back again.
   */
  private boolean appendRollback(AliasEntry entry, AliasName alias) {
    try {
      return log.append(entry);
    } catch (CdnpubException e) {
      if (e.exitCode() != ExitCode.REMOTE) {
        throw e;
      }
      throw new CdnpubException(
          ExitCode.REMOTE,
          withoutFinalPeriod(e.getMessage())
              + "; the rollback may or may not be recorded: check '"
              + hints.command("alias history " + alias)
              + "' before rolling back again (a second rollback goes further back), then run '"
              + hints.command("alias sync")
              + "'.",
          e);
    }
  }

  private static String withoutFinalPeriod(String text) {
    return text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
  }

  /**
   * Withdraws {@code version}: records it as yanked (create-only; yanking twice is harmless) and
   * moves every alias that points at it back to its previous value that is not yanked.
   */
  public AliasResult yank(ReleaseVersion version, String reason) {
    requireSealed(version);
    preflight(kv, library);
    YankRecord record = new YankRecord(1, library, version.toString(), reason, now(), actor);
    List<String> warnings = new ArrayList<>();
    try {
      if (store.createIfAbsent(
              yankKey(version),
              Body.ofBytes(Jackson.MAPPER.writeValueAsBytes(record)),
              ObjectMetadata.RECORD)
          == CreateResult.ALREADY_EXISTS) {
        warnings.add(version + " was already yanked.");
      }
    } catch (IOException e) {
      throw new CdnpubException(
          ExitCode.INTERNAL, "cannot write yank record: " + e.getMessage(), e);
    }
    List<AliasChange> changes = new ArrayList<>();
    List<String> touched = new ArrayList<>();
    for (Map.Entry<String, AliasEntry> e : log.all().entrySet()) {
      AliasEntry newest = e.getValue();
      boolean onStable = version.toString().equals(newest.to());
      boolean onCanary =
          newest.canary() != null && version.toString().equals(newest.canary().version());
      if (!onStable && !onCanary) {
        if (movedOffBy(newest, version)) {
          // Moved off (or its canary ended) by an earlier run of this yank that may have failed
          // before writing KV, or whose log write landed with its answer lost: a re-run must still
          // bring KV up to date.
          touched.add(e.getKey());
        }
        continue;
      }
      AliasName alias = AliasName.parse(e.getKey());
      touched.add(alias.name());
      Optional<AliasChange> moved = moveOffYanked(alias, reason);
      if (moved.isPresent()) {
        changes.add(moved.get());
        if (isYanked(ReleaseVersion.parse(moved.get().to()))) {
          // The canary ended on a stable version yanked earlier with nothing to go back to.
          warnings.add(everyoneOnYanked(alias, moved.get().to()));
        }
      } else {
        warnings.add(
            alias
                + " has no earlier version that is not yanked; it still points at "
                + version
                + ".");
      }
    }
    syncAfter(touched, changes);
    return new AliasResult(changes, warnings);
  }

  /**
   * Whether {@code entry} is a yank's move off {@code version}: back from it as the stable version,
   * or the end of a canary on it (a yank that ended a canary keeps the stable version, so the
   * canary it ended is the one of the entry before).
   */
  private boolean movedOffBy(AliasEntry entry, ReleaseVersion version) {
    if (!"yank".equals(entry.cause())) {
      return false;
    }
    if (!isCanaryStep(entry)) {
      return version.toString().equals(entry.from());
    }
    return log.entry(entry.alias(), entry.seq() - 1)
        .map(AliasEntry::canary)
        .map(c -> version.toString().equals(c.version()))
        .orElse(false);
  }

  /**
   * The newest change still in effect whose earlier value is not yanked: what a rollback reverts.
   * The yanked earlier values passed over are added to {@code skipped}. Null when the walk reaches
   * the alias's creation (nothing earlier to go back to).
   */
  private AliasEntry undoTarget(Deque<AliasEntry> stack, List<String> skipped) {
    for (AliasEntry e : stack) {
      if (e.from() == null) {
        return null;
      }
      if (isCanaryStep(e)) {
        continue; // started or ramped a canary: the stable version did not change
      }
      if (!isYanked(ReleaseVersion.parse(e.from()))) {
        return e;
      }
      skipped.add(e.from());
    }
    return null;
  }

  /**
   * Moves {@code alias} off yanked versions: a yanked stable version goes back to its previous
   * value that is not yanked, and a canary ends when its version or the stable one is yanked. When
   * the canary's version is yanked and the stable one is not, or is yanked with nothing earlier,
   * everyone lands on the stable version (the caller warns if it is yanked). Empty when neither is
   * yanked (someone moved it already) or a yanked stable version with no yanked canary has nothing
   * earlier to go back to.
   */
  private Optional<AliasChange> moveOffYanked(AliasName alias, String reason) {
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      List<AliasEntry> history = log.history(alias.name());
      AliasEntry newest = history.get(history.size() - 1);
      boolean stableYanked = isYanked(ReleaseVersion.parse(newest.to()));
      boolean canaryYanked =
          newest.canary() != null && isYanked(ReleaseVersion.parse(newest.canary().version()));
      if (!stableYanked && !canaryYanked) {
        return Optional.empty();
      }
      AliasEntry undone =
          stableYanked ? undoTarget(UndoStack.of(history), new ArrayList<>()) : null;
      String target = undone == null ? null : undone.from();
      if (undone == null && canaryYanked) {
        // The canary's version is yanked: everyone back on the stable version, undoing the canary's
        // steps; also when the stable version is yanked with nothing earlier (the caller warns).
        undone = canaryStart(history);
        target = newest.to();
      }
      if (undone == null) {
        return Optional.empty();
      }
      AliasEntry entry =
          AliasEntry.undo(
              library,
              alias.name(),
              newest.seq() + 1,
              newest.to(),
              target,
              now(),
              "yank",
              actor,
              undone.seq(),
              reason,
              writerId());
      if (log.append(entry)) {
        return Optional.of(
            new AliasChange(
                alias.name(), newest.to(), target, entry.seq(), "yank", newest.canary(), null));
      }
    }
    throw CdnpubException.conflict(
        alias + " kept changing while moving it off a yanked version; run yank again.");
  }

  /**
   * Whether {@code entry} only started, re-aimed or ramped a canary: the stable version stayed (a
   * rollback passes over it), or it ended one keeping the stable version.
   */
  private static boolean isCanaryStep(AliasEntry entry) {
    return entry.from() != null && entry.from().equals(entry.to());
  }

  /** The entry that started the canary in effect at the end of {@code history}. */
  private static AliasEntry canaryStart(List<AliasEntry> history) {
    int i = history.size() - 1;
    while (i > 0 && history.get(i - 1).canary() != null) {
      i--;
    }
    return history.get(i);
  }

  /** Rewrites KV from the log for every alias of the library; returns the aliases written. */
  public List<String> sync() {
    List<String> aliases = List.copyOf(log.all().keySet());
    for (String alias : aliases) {
      syncOne(alias, null);
    }
    return aliases;
  }

  private String now() {
    return Threads.timestamp(clock);
  }

  private static String writerId() {
    return UUID.randomUUID().toString();
  }

  public boolean isYanked(ReleaseVersion version) {
    return store.stat(yankKey(version)).isPresent();
  }

  private String yankKey(ReleaseVersion version) {
    return Keys.yanked(library, version);
  }

  private void requireSealed(ReleaseVersion version) {
    if (new ReleaseCatalog(store).manifest(library, version).isEmpty()) {
      throw CdnpubException.notFound(
          library
              + " "
              + version
              + " is not published (no manifest at "
              + Keys.manifest(library, version)
              + ").");
    }
  }

  /** What an alias moves to: its stable version, its canary (null: none), and why. */
  private record Next(String to, Canary canary, String cause) {}

  /**
   * Appends a change decided by {@code decide} (newest entry, or null for a new alias, to the next
   * value, or null for "no change"; it may throw to refuse), re-reading and deciding again whenever
   * another writer took the sequence number first. Every forward move, canary steps included, goes
   * through here.
   */
  private Optional<AliasChange> move(AliasName alias, Function<AliasEntry, Next> decide) {
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      Optional<AliasEntry> current = log.current(alias.name());
      Next next = decide.apply(current.orElse(null));
      if (next == null) {
        return Optional.empty();
      }
      String from = current.map(AliasEntry::to).orElse(null);
      Canary fromCanary = current.map(AliasEntry::canary).orElse(null);
      long seq = current.map(e -> e.seq() + 1).orElse(1L);
      AliasEntry entry =
          AliasEntry.move(
              library,
              alias.name(),
              seq,
              from,
              next.to(),
              now(),
              next.cause(),
              actor,
              writerId(),
              next.canary());
      if (log.append(entry)) {
        return Optional.of(
            new AliasChange(
                alias.name(), from, next.to(), seq, next.cause(), fromCanary, next.canary()));
      }
    }
    throw CdnpubException.conflict(
        alias
            + " kept changing under concurrent writers ("
            + MAX_ATTEMPTS
            + " attempts); try again.");
  }

  private void syncAfter(List<String> aliases, List<AliasChange> changes) {
    syncAfter(aliases, changes, true);
  }

  /**
   * @param rerunRepairs whether re-running the command is a safe repair (not for a rollback)
   */
  private void syncAfter(List<String> aliases, List<AliasChange> changes, boolean rerunRepairs) {
    List<String> names = List.copyOf(new LinkedHashSet<>(aliases));
    // What this command appended last to each alias's log: KV starts from it instead of reading
    // the log again (one list and one read fewer per alias); the read after the put still finds
    // any writer that came after it.
    Map<String, AliasChange> appended = new HashMap<>();
    for (AliasChange change : changes) {
      appended.merge(change.alias(), change, (a, b) -> a.seq() >= b.seq() ? a : b);
    }
    // Every alias is synced (at the same time, as they are independent keys); the first failure, in
    // alias order, is reported.
    List<CdnpubException> failures =
        eachAtOnce(
            names,
            alias -> {
              try {
                syncOne(alias, appended.get(alias));
                return null;
              } catch (CdnpubException e) {
                return e;
              }
            });
    for (int i = 0; i < names.size(); i++) {
      String alias = names.get(i);
      CdnpubException e = failures.get(i);
      if (e != null) {
        String moved =
            changes.isEmpty()
                ? ""
                : " The alias record moved ("
                    + String.join(", ", changes.stream().map(AliasChange::toString).toList())
                    + "),";
        // Exit 5 (6 for a refused token, the actionable part) whatever KV answered: the alias
        // record
        // did change, so "nothing was changed" (2) or "not found" (4) would mislead.
        throw new CdnpubException(
            e.exitCode() == ExitCode.AUTH ? ExitCode.AUTH : ExitCode.REMOTE,
            "Workers KV was not updated for "
                + Keys.kv(library, alias)
                + "."
                + moved
                + " run '"
                + hints.command("alias sync")
                + "'"
                + (rerunRepairs
                    ? " (or re-run this command)"
                    : " (not the rollback again: it would go further back)")
                + " to bring KV up to date. Cause: "
                + e.getMessage(),
            e);
      }
    }
  }

  /**
   * {@code work} applied to every item, all at once on threads of their own (one item: on this
   * thread), results in the order of {@code items}. When any fails, all are waited for and the
   * first failure in item order is thrown.
   */
  private static <T, R> List<R> eachAtOnce(List<T> items, Function<T, R> work) {
    return Threads.inParallel(items, items.size(), "cdnpub-alias", "updating aliases", work);
  }

  /**
   * Writes the newest logged value of {@code alias} to KV, then checks that the log did not move
   * meanwhile; if it did, writes again. Every writer ends with a write that was the newest when it
   * was made, so once concurrent writers finish, KV holds the newest entry. Always writes, never
   * trusts a KV read: a read may be served from a cache and would make a stale value look current.
   */
  /**
   * Writes the alias's newest entry to KV, then lists the log again: a move that landed meanwhile
   * is read and written in turn, so KV ends on the log's newest entry.
   *
   * @param appended what this command appended last to the alias's log (null: read it)
   */
  private void syncOne(String alias, AliasChange appended) {
    String key = Keys.kv(library, alias);
    Optional<KvValue> entry =
        appended != null
            ? Optional.of(new KvValue(appended.seq(), appended.to(), appended.canary()))
            : log.current(alias).map(KvValue::of);
    for (int attempt = 0; attempt < MAX_ATTEMPTS && entry.isPresent(); attempt++) {
      kv.put(key, entry.get().to(), entry.get().canary());
      // A listing tells whether a change landed meanwhile; only then is the newest entry read.
      if (log.newestSeq(alias) == entry.get().seq()) {
        return;
      }
      entry = log.current(alias).map(KvValue::of);
    }
    if (entry.isPresent()) {
      throw new CdnpubException(
          ExitCode.REMOTE,
          Keys.kv(library, alias)
              + " kept changing while writing it to KV; run "
              + hints.command("alias sync")
              + ".");
    }
  }

  /** What KV holds for an alias: the value of its log entry {@code seq}. */
  private record KvValue(long seq, String to, Canary canary) {
    static KvValue of(AliasEntry entry) {
      return new KvValue(entry.seq(), entry.to(), entry.canary());
    }
  }
}
