package dev.cdnpub.verify;

import java.util.List;

/**
 * What an alias URL answered for one file of the release the alias points at.
 *
 * @param alias the alias, e.g. {@code v1}
 * @param path the file's path in the release
 * @param url the alias URL asked for, {@code {base}/{alias}/{library}/{path}}
 * @param expected the pinned URL its redirect must name
 * @param problems how the answer differs from that redirect; empty when it matches
 */
public record AliasReport(
    String alias, String path, String url, String expected, List<String> problems) {
  public AliasReport {
    problems = List.copyOf(problems);
  }

  public boolean ok() {
    return problems.isEmpty();
  }
}
