package dev.cdnpub.verify;

import dev.cdnpub.testing.S3ProxyServer;
import java.util.Map;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** verify on S3Proxy: tampering written with plain S3 calls, which overwrite. */
class S3VerifyTest extends VerifyContract {
  private String bucket;

  @Override
  Map<String, String> freshStore() {
    bucket = S3ProxyServer.shared().newBucket();
    return S3ProxyServer.shared().r2Env(bucket);
  }

  @Override
  void delete(String key) {
    try (S3Client s3 = S3ProxyServer.shared().client()) {
      s3.deleteObject(b -> b.bucket(bucket).key(key));
    }
  }

  @Override
  void overwrite(String key, byte[] body, String contentType, String cacheControl) {
    try (S3Client s3 = S3ProxyServer.shared().client()) {
      s3.putObject(
          b -> b.bucket(bucket).key(key).contentType(contentType).cacheControl(cacheControl),
          RequestBody.fromBytes(body));
    }
  }

  @Override
  void add(String key, byte[] body) {
    overwrite(key, body, JS, dev.cdnpub.publish.PublishPlan.CACHE_CONTROL);
  }

  @Override
  byte[] bytes(String key) {
    try (S3Client s3 = S3ProxyServer.shared().client()) {
      return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
    }
  }
}
