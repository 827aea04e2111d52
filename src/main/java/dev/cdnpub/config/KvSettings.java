package dev.cdnpub.config;

/** Where aliases go on Cloudflare: the account, the KV namespace, the API base and the token. */
public record KvSettings(String accountId, String namespaceId, String apiBase, String apiToken) {
  @Override
  public String toString() {
    return "KvSettings[accountId="
        + accountId
        + ", namespaceId="
        + namespaceId
        + ", apiBase="
        + apiBase
        + ", apiToken=hidden]";
  }
}
