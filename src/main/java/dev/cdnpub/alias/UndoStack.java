package dev.cdnpub.alias;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The changes of an alias that are still in effect, newest on top: the history replayed with every
 * rollback (an entry with {@code undoes}) removing the changes it reverted. Rolling back means
 * reverting the top; repeated rollbacks therefore walk further back through older values.
 */
final class UndoStack {
  private UndoStack() {}

  static Deque<AliasEntry> of(List<AliasEntry> history) {
    Deque<AliasEntry> stack = new ArrayDeque<>();
    for (AliasEntry entry : history) {
      if (entry.undoes() != null) {
        while (!stack.isEmpty() && stack.peek().seq() >= entry.undoes()) {
          stack.pop();
        }
      } else {
        stack.push(entry);
      }
    }
    return stack;
  }
}
