package dev.cdnpub.publish;

/**
 * Where things are stored. Released files under {@code v{version}/{library}/…} (the public, immutable
 * URL space); cdnpub's own records under {@code _cdnpub/{library}/…}, which no version prefix can
 * collide with because versions start with {@code v}.
 */
public final class Keys {
  private Keys() {}

  public static String versionPrefix(String library, ReleaseVersion version) {
    return "v" + version + "/" + library + "/";
  }

  public static String file(String library, ReleaseVersion version, String relativePath) {
    return versionPrefix(library, version) + relativePath;
  }

  public static String claimPrefix(String library) {
    return "_cdnpub/" + library + "/claims/";
  }

  public static String claim(String library, ReleaseVersion version) {
    return claimPrefix(library) + version;
  }

  public static String manifestPrefix(String library) {
    return "_cdnpub/" + library + "/versions/";
  }

  public static String manifest(String library, ReleaseVersion version) {
    return manifestPrefix(library) + version + ".json";
  }

  public static String yankedPrefix(String library) {
    return "_cdnpub/" + library + "/yanked/";
  }

  public static String yanked(String library, ReleaseVersion version) {
    return yankedPrefix(library) + version + ".json";
  }
}
