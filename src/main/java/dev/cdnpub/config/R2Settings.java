package dev.cdnpub.config;

import java.net.URI;

/** Non-secret R2 settings, resolved and complete. */
public record R2Settings(String accountId, String bucket, URI endpoint) {}
