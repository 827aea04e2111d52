package dev.cdnpub.cloudflare;

/** One entry of the {@code errors} or {@code messages} array of a Cloudflare API envelope. */
public record ApiError(int code, String message) {
  @Override
  public String toString() {
    return code == 0 ? message : code + " " + message;
  }
}
