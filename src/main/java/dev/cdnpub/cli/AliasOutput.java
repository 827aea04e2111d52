package dev.cdnpub.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cdnpub.alias.AliasChange;
import dev.cdnpub.alias.AliasResult;

/** Renders alias changes the same way for every command. */
final class AliasOutput {
  private AliasOutput() {}

  static void human(Console console, String prefix, AliasResult result) {
    for (AliasChange c : result.changes()) {
      console.out(prefix + c);
    }
    for (String w : result.warnings()) {
      console.err("warning: " + w);
    }
  }

  static void json(ObjectNode node, AliasResult result) {
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
      o.put("seq", c.seq());
      o.put("cause", c.cause());
    }
    ArrayNode warnings = node.putArray("warnings");
    result.warnings().forEach(warnings::add);
  }
}
