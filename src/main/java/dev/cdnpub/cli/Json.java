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

  /** The object a command prints, starting with its name: {@code {"command": "alias set", …}}. */
  static ObjectNode command(String name) {
    ObjectNode node = object();
    node.put("command", name);
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
