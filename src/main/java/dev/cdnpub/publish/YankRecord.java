package dev.cdnpub.publish;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** A withdrawn version: its files stay (pinned URLs keep working) but no alias may choose it. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record YankRecord(
    int schema, String library, String version, String reason, String at, String actor) {}
