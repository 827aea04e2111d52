package dev.cdnpub.verify;

import java.util.List;

/**
 * What verification found for one file of a release.
 *
 * @param path the file's path in the release
 * @param location where it was read: its key in the store, or its public URL
 * @param problems how it differs from the manifest, one phrase each; empty when it matches
 */
public record FileReport(String path, String location, List<String> problems) {
  public FileReport {
    problems = List.copyOf(problems);
  }

  public boolean ok() {
    return problems.isEmpty();
  }
}
