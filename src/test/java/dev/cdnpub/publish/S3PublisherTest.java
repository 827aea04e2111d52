package dev.cdnpub.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cdnpub.core.CdnpubException;
import dev.cdnpub.store.ObjectStore;
import dev.cdnpub.testing.InterruptingStore;
import dev.cdnpub.testing.S3ProxyServer;
import dev.cdnpub.testing.TestFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

class S3PublisherTest extends PublisherContract {
  static final S3ProxyServer server = S3ProxyServer.shared();

  @Override
  ObjectStore newStore() {
    return server.store(server.newBucket(), 64L * 1024 * 1024);
  }

  /** A killed multipart upload stays open (and billed) until someone aborts it: the resume does. */
  @Test
  void publish_resume_abortsTheMultipartUploadsAnInterruptedRunLeftOpen() {
    Path dir = TestFiles.library(tmp.resolve("dist"), "m", 2);
    PublishPlan plan = plan(dir, "3.0.0");
    String bucket = server.newBucket();
    S3Client s3 = server.client();
    try (ObjectStore store = server.store(bucket, 64L * 1024 * 1024)) {
      // The first run claimed the version and died while sending a large file in parts.
      assertThrows(CdnpubException.class, () -> publish(new InterruptingStore(store, 2), plan));
      String key = plan.files().get(0).key();
      String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId();
      s3.uploadPart(
          b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(1),
          RequestBody.fromBytes(new byte[1024]));
      // Someone else's upload outside this release's prefix is not touched.
      String otherId =
          s3.createMultipartUpload(b -> b.bucket(bucket).key("v3.0.1/chatleo/loader.js"))
              .uploadId();
      assertEquals(2, s3.listMultipartUploads(b -> b.bucket(bucket)).uploads().size());

      List<String> phases = new ArrayList<>();
      PublishResult rerun = publish(store, plan, phases);
      assertEquals(PublishResult.Status.PUBLISHED, rerun.status());
      assertEquals(1, rerun.abortedUploads());
      assertTrue(
          phases.contains("clean: aborted 1 multipart upload left open by an interrupted run"),
          phases.toString());
      assertEquals(
          0, s3.listMultipartUploads(b -> b.bucket(bucket).prefix(plan.prefix())).uploads().size());
      var left = s3.listMultipartUploads(b -> b.bucket(bucket)).uploads();
      assertEquals(1, left.size());
      assertEquals(otherId, left.get(0).uploadId());
      assertTrue(store.read(key).isPresent());
    }
  }
}
