// workerd (and any WHATWG URL parser) rewrites "..", "." and "\" before the Worker sees
// request.url, so the resolver's own guards against them cannot be reached through Miniflare.
// These tests call the module directly in Node with a request whose url is the raw text, to
// show the guards hold if a caller ever hands over an unnormalized URL.
import { test } from "node:test";
import assert from "node:assert/strict";
import resolver from "../../main/worker/resolver.js";

const env = {
  ALIASES: {
    async getWithMetadata(key) {
      return { value: key === "chatleo/v1" ? "1.2.3" : null, metadata: null };
    },
  },
};

function rawGet(url) {
  return resolver.fetch({ method: "GET", url, headers: new Headers() }, env, {});
}

for (const url of [
  "https://cdn.example.com/v1/chatleo/../secret.js",
  "https://cdn.example.com/v1/chatleo/sub/../../chatleo/x.js",
  "https://cdn.example.com/v1/chatleo/./x.js",
  "https://cdn.example.com/v1/chatleo/a\\b.js",
  "https://cdn.example.com/v1/chatleo/..\\secret.js",
]) {
  test(`raw ${url.slice("https://cdn.example.com".length)} is refused, not redirected`, async () => {
    const res = await rawGet(url);
    assert.equal(res.status, 400);
    assert.equal(res.headers.get("location"), null);
    assert.equal(res.headers.get("access-control-allow-origin"), "*");
  });
}

test("the same raw request without traversal is redirected (the guard is what refuses)", async () => {
  const res = await rawGet("https://cdn.example.com/v1/chatleo/x.js?");
  assert.equal(res.status, 302);
  assert.equal(res.headers.get("location"), "https://cdn.example.com/v1.2.3/chatleo/x.js?");
});
