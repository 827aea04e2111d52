package dev.cdnpub.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cdnpub.alias.AliasChange;
import dev.cdnpub.alias.AliasResult;
import dev.cdnpub.alias.Canary;
import java.util.List;

/** Renders alias changes the same way for every command. */
final class AliasOutput {
  private AliasOutput() {}

  /**
   * The result of a command that only moves aliases (set, promote, rollback): one JSON object with
   * {@code --json}, else a line per change and the warnings.
   */
  static void print(Console console, boolean json, AliasResult result, List<String> routesNeeded) {
    if (json) {
      ObjectNode node = Json.object();
      json(node, result, routesNeeded);
      console.json(node);
    } else {
      human(console, "", result, routesNeeded);
    }
  }

  static void human(Console console, String prefix, AliasResult result, List<String> routesNeeded) {
    for (AliasChange c : result.changes()) {
      console.out(prefix + c);
    }
    for (String w : result.warnings()) {
      console.err("warning: " + w);
    }
    List<String> added = routesNeeded;
    if (!added.isEmpty()) {
      console.out(
          "routes: new alias"
              + (added.size() > 1 ? "es " : " ")
              + String.join(", ", added)
              + (added.size() > 1 ? " need Worker routes" : " needs a Worker route")
              + "; run cdnpub worker deploy (or cdnpub worker export for wrangler).");
    }
  }

  /** {@code name}: {@code {"version": …, "percent": …}}, or null when there is no canary. */
  static void putCanary(ObjectNode node, String name, Canary canary) {
    if (canary == null) {
      node.putNull(name);
    } else {
      ObjectNode o = node.putObject(name);
      o.put("version", canary.version());
      o.put("percent", canary.percent());
    }
  }

  static void json(ObjectNode node, AliasResult result, List<String> routesNeeded) {
    ArrayNode changes = node.putArray("aliasesMoved");
    for (AliasChange c : result.changes()) {
      ObjectNode o = changes.addObject();
      o.put("alias", c.alias());
      if (c.from() == null) {
        o.putNull("from");
      } else {
        o.put("from", c.from());
      }
      o.put("to", c.to());
      putCanary(o, "fromCanary", c.fromCanary());
      putCanary(o, "canary", c.canary());
      o.put("seq", c.seq());
      o.put("cause", c.cause());
    }
    ArrayNode routes = node.putArray("routesNeeded");
    routesNeeded.forEach(routes::add);
    ArrayNode warnings = node.putArray("warnings");
    result.warnings().forEach(warnings::add);
  }
}
