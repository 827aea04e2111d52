package dev.cdnpub.cloudflare;

import java.util.Objects;

/**
 * What a request is for, used only to word error messages.
 *
 * @param description a verb phrase that completes "Cloudflare refused to …", e.g. {@code "write
 *     Workers KV key 'chatleo/v1'"}
 * @param permission the API token permission the request needs, e.g. {@code "Workers KV Storage
 *     Write"}, or {@code null} when unknown
 */
public record Operation(String description, String permission) {
  public Operation {
    Objects.requireNonNull(description, "description");
  }
}
