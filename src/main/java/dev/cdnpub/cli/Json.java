package dev.cdnpub.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cdnpub.core.Jackson;

/** JSON output of commands: one object per run on stdout. */
final class Json {
  static final ObjectMapper MAPPER = Jackson.MAPPER;

  private Json() {}

  static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  /**
   * The one object a run prints, in this order: {@code command} (the command line's command, "alias
   * set"; absent when it names none), {@code status} ("ok" unless {@code fields} say otherwise:
   * "error", or publish's "published", "already_published", "dry_run"), {@code exitCode} (0 unless
   * {@code fields} say otherwise), then {@code fields}.
   */
  static ObjectNode result(String command, ObjectNode fields) {
    ObjectNode node = object();
    if (command != null) {
      node.put("command", command);
    }
    node.put("status", "ok");
    node.put("exitCode", 0);
    node.setAll(fields);
    return node;
  }

  static String write(Object node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
