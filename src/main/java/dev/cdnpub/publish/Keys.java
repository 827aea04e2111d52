package dev.cdnpub.publish;

import java.util.Locale;

/**
 * The one home of the store layout. Released files under {@code v{version}/{library}/…} (the
 * public, immutable URL space); cdnpub's own records under {@code _cdnpub/{library}/…}, which no
 * version prefix can collide with because versions start with {@code v}:
 *
 * <pre>
 * _cdnpub/{library}/claims/{version}                claim (who owns the version)
 * _cdnpub/{library}/versions/{version}.json         manifest (the seal)
 * _cdnpub/{library}/yanked/{version}.json           yank record
 * _cdnpub/{library}/aliases/{alias}/{seq}.json      alias history, one entry per change
 * _cdnpub/probe                                     the bucket's create-only proof
 * </pre>
 *
 * Also the key the resolver Worker reads in Workers KV: {@code {library}/{alias}}.
 */
public final class Keys {
  /** Every record cdnpub keeps about releases lives below this prefix. */
  public static final String RECORDS = "_cdnpub/";

  /** The bucket's create-only proof: created once, and a create of it must then be refused. */
  public static final String PROBE = RECORDS + "probe";

  private Keys() {}

  public static String versionPrefix(String library, ReleaseVersion version) {
    return "v" + version + "/" + library + "/";
  }

  public static String file(String library, ReleaseVersion version, String relativePath) {
    return versionPrefix(library, version) + relativePath;
  }

  public static String claimPrefix(String library) {
    return RECORDS + library + "/claims/";
  }

  public static String claim(String library, ReleaseVersion version) {
    return claimPrefix(library) + version;
  }

  public static String manifestPrefix(String library) {
    return RECORDS + library + "/versions/";
  }

  public static String manifest(String library, ReleaseVersion version) {
    return manifestPrefix(library) + version + ".json";
  }

  public static String yankedPrefix(String library) {
    return RECORDS + library + "/yanked/";
  }

  public static String yanked(String library, ReleaseVersion version) {
    return yankedPrefix(library) + version + ".json";
  }

  public static String aliasPrefix(String library) {
    return RECORDS + library + "/aliases/";
  }

  /** One change of an alias, at its sequence number (zero-padded, so keys list in order). */
  public static String aliasEntry(String library, String alias, long seq) {
    return aliasPrefix(library) + alias + "/" + String.format(Locale.ROOT, "%010d", seq) + ".json";
  }

  /** The Workers KV key the resolver reads for an alias. */
  public static String kv(String library, String alias) {
    return library + "/" + alias;
  }
}
