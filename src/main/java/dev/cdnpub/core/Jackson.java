package dev.cdnpub.core;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;

/**
 * The one configured Jackson mapper for cdnpub's records, API bodies and output. Records declare
 * what they tolerate themselves ({@code @JsonIgnoreProperties}); {@code cdnpub.json} is read by
 * ConfigFile's stricter reader, derived from this one.
 */
public final class Jackson {
  /** Thread-safe once configured, as here; never reconfigure it after start. */
  public static final ObjectMapper MAPPER = new ObjectMapper();

  /**
   * Indented output, for records a person may read in the bucket (claims, manifests, alias
   * entries).
   */
  public static final ObjectWriter PRETTY = MAPPER.writerWithDefaultPrettyPrinter();

  private Jackson() {}
}
