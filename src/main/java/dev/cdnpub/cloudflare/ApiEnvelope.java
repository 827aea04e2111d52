package dev.cdnpub.cloudflare;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The JSON envelope around every Cloudflare API v4 answer except raw KV values: {@code {"success",
 * "errors": [{"code", "message"}], "messages", "result", "result_info"}}.
 *
 * @param result the {@code result} member, a {@link MissingNode} when absent
 * @param resultInfo the {@code result_info} member (paging), a {@link MissingNode} when absent
 */
public record ApiEnvelope(
    boolean success,
    List<ApiError> errors,
    List<ApiError> messages,
    JsonNode result,
    JsonNode resultInfo) {

  public ApiEnvelope {
    errors = List.copyOf(errors);
    messages = List.copyOf(messages);
  }

  /** Reads an envelope from a parsed body; empty if the body is not one (no boolean success). */
  static Optional<ApiEnvelope> from(JsonNode body) {
    if (body == null || !body.isObject() || !body.path("success").isBoolean()) {
      return Optional.empty();
    }
    return Optional.of(
        new ApiEnvelope(
            body.get("success").booleanValue(),
            entries(body.path("errors")),
            entries(body.path("messages")),
            body.path("result"),
            body.path("result_info")));
  }

  /** The API's own words: the errors, or the messages when there are no errors. */
  List<ApiError> explanation() {
    return errors.isEmpty() ? messages : errors;
  }

  // Cloudflare mostly sends {code, message} objects, but some endpoints send plain strings.
  private static List<ApiError> entries(JsonNode array) {
    List<ApiError> out = new ArrayList<>();
    for (JsonNode entry : array) {
      if (entry.isTextual()) {
        out.add(new ApiError(0, entry.textValue()));
      } else if (entry.isObject()) {
        out.add(new ApiError(entry.path("code").asInt(0), entry.path("message").asText("")));
      }
    }
    return out;
  }
}
