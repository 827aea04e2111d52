package dev.cdnpub.app;

import dev.cdnpub.alias.AliasChange;
import dev.cdnpub.alias.AliasLog;
import dev.cdnpub.alias.AliasResult;
import dev.cdnpub.config.Settings;
import dev.cdnpub.config.TargetKind;
import dev.cdnpub.store.ObjectStore;
import dev.cdnpub.worker.RoutePlan;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which Worker routes the aliases in a store need: for export, deploy and the notes after a move.
 */
final class WorkerRoutes {
  private WorkerRoutes() {}

  /**
   * Route patterns for the aliases in use by every library in the store, then the records route
   * ({@link RoutePlan#recordsPattern}), which is there even before any alias.
   */
  static List<String> patterns(ObjectStore store, String cdnHost) {
    Set<String> names = new TreeSet<>();
    AliasLog.aliasNamesByLibrary(store).values().forEach(names::addAll);
    List<String> patterns = new ArrayList<>(RoutePlan.patterns(cdnHost, names));
    patterns.add(RoutePlan.recordsPattern(cdnHost));
    return List.copyOf(patterns);
  }

  /**
   * Aliases that a change just created and that no library used before: each needs a route. Only on
   * R2, where the Worker serves them; the local store has no Worker.
   */
  static List<String> needed(Settings settings, ObjectStore store, AliasResult result) {
    List<String> created =
        result.changes().stream().filter(c -> c.from() == null).map(AliasChange::alias).toList();
    if (created.isEmpty() || settings.target() != TargetKind.R2) {
      return List.of();
    }
    Set<String> inUseElsewhere = new HashSet<>();
    AliasLog.aliasNamesByLibrary(store)
        .forEach(
            (library, names) -> {
              if (!library.equals(settings.library())) {
                inUseElsewhere.addAll(names);
              }
            });
    return created.stream().filter(a -> !inUseElsewhere.contains(a)).toList();
  }
}
