package dev.cdnpub.publish;

import java.nio.file.Path;

/**
 * One file of a release as it will be stored: its key, metadata and digests. {@code integrity} is
 * the Subresource Integrity value ({@code sha384-…}) users can put in their script tag.
 */
public record PlannedFile(
    String path,
    Path source,
    String key,
    long size,
    String contentType,
    String sha256,
    String integrity,
    String md5Base64) {}
