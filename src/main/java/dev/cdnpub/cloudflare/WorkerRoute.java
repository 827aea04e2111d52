package dev.cdnpub.cloudflare;

/**
 * A Workers route of a zone.
 *
 * @param id Cloudflare's route id
 * @param pattern e.g. {@code cdn.example.com/chatleo/*}
 * @param script the Worker that serves it, or {@code null} when the route disables Workers
 */
public record WorkerRoute(String id, String pattern, String script) {}
