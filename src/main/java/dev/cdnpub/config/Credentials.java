package dev.cdnpub.config;

/** An S3 access key pair from the environment. Never printed: {@link #toString()} hides both. */
public record Credentials(String accessKeyId, String secretAccessKey) {
  @Override
  public String toString() {
    return "Credentials[hidden]";
  }
}
