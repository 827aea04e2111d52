package dev.cdnpub.cloudflare;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/** A binding in a Worker script's upload metadata: what {@code env.NAME} is inside the Worker. */
public sealed interface WorkerBinding permits WorkerBinding.KvNamespace, WorkerBinding.PlainText {

  /** The name the Worker sees, e.g. {@code ALIASES} for {@code env.ALIASES}. */
  String name();

  /** The binding as the Workers API expects it in {@code metadata.bindings}. */
  ObjectNode toJson();

  /** {@code {"type":"kv_namespace","name":…,"namespace_id":…}}. */
  record KvNamespace(String name, String namespaceId) implements WorkerBinding {
    public KvNamespace {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(namespaceId, "namespaceId");
    }

    @Override
    public ObjectNode toJson() {
      return base("kv_namespace", name).put("namespace_id", namespaceId);
    }
  }

  /**
   * {@code {"type":"plain_text","name":…,"text":…}}: an environment variable, visible to readers.
   */
  record PlainText(String name, String text) implements WorkerBinding {
    public PlainText {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(text, "text");
    }

    @Override
    public ObjectNode toJson() {
      return base("plain_text", name).put("text", text);
    }
  }

  private static ObjectNode base(String type, String name) {
    return JsonNodeFactory.instance.objectNode().put("type", type).put("name", name);
  }
}
