package dev.cdnpub.cloudflare;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import okhttp3.MediaType;
import okhttp3.MultipartBody;
import okhttp3.RequestBody;

/**
 * Uploads Worker scripts through the Workers API, without wrangler. Failures are {@link
 * CloudflareApiException}s as described on {@link CloudflareApi}; a token without "Workers Scripts
 * Write" is {@link dev.cdnpub.core.ExitCode#AUTH}, a script Cloudflare rejects (syntax error,
 * unknown binding) is {@link dev.cdnpub.core.ExitCode#USAGE} with the API's message. Safe to share
 * across threads.
 */
public final class WorkersScriptsClient {
  static final MediaType MODULE = MediaType.get("application/javascript+module");
  private static final MediaType JSON = MediaType.get("application/json");

  private final CloudflareApi api;

  public WorkersScriptsClient(CloudflareApi api) {
    this.api = Objects.requireNonNull(api, "api");
  }

  /**
   * Creates or replaces the ES-module Worker {@code scriptName}: {@code PUT
   * /accounts/{account}/workers/scripts/{name}} as {@code multipart/form-data} with a {@code
   * metadata} JSON part and one module part named {@code mainModuleFileName}. The new code serves
   * requests at once on every route that names the script.
   */
  public void uploadModule(
      String accountId,
      String scriptName,
      String mainModuleFileName,
      String moduleSource,
      WorkerMetadata metadata) {
    Objects.requireNonNull(moduleSource, "moduleSource");
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("main_module", mainModuleFileName);
    json.put("compatibility_date", metadata.compatibilityDate());
    ArrayNode bindings = json.putArray("bindings");
    metadata.bindings().forEach(binding -> bindings.add(binding.toJson()));

    // The API finds the entry point by part name, so the part name must equal main_module.
    MultipartBody body =
        new MultipartBody.Builder()
            .setType(MultipartBody.FORM)
            .addFormDataPart(
                "metadata",
                null,
                RequestBody.create(json.toString().getBytes(StandardCharsets.UTF_8), JSON))
            .addFormDataPart(
                mainModuleFileName,
                mainModuleFileName,
                RequestBody.create(moduleSource.getBytes(StandardCharsets.UTF_8), MODULE))
            .build();
    Operation operation =
        new Operation("upload the Worker script '" + scriptName + "'", "Workers Scripts Write");
    api.call(
        ApiRequest.of("PUT", operation, "accounts", accountId, "workers", "scripts", scriptName)
            .withBody(body));
  }
}
