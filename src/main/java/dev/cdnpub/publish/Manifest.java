package dev.cdnpub.publish;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * The seal of a release, written create-only after every file is stored: its existence is what
 * makes a version "published". Lists every file with the metadata a consumer needs (SRI integrity).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Manifest(
    int schema,
    String library,
    String version,
    String digest,
    String publishedAt,
    long totalBytes,
    List<Entry> files) {

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Entry(
      String path, String key, long size, String contentType, String sha256, String integrity) {}

  public static Manifest of(PublishPlan plan, String publishedAt) {
    return new Manifest(
        1,
        plan.library(),
        plan.version().toString(),
        plan.digest(),
        publishedAt,
        plan.totalBytes(),
        plan.files().stream()
            .map(
                f ->
                    new Entry(
                        f.path(), f.key(), f.size(), f.contentType(), f.sha256(), f.integrity()))
            .toList());
  }
}
