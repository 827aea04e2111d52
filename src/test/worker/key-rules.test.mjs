// The publisher's one table of names (src/test/resources/key-rules.json) against the resolver in
// workerd: a path no release can hold is refused (400), one it can hold is redirected; a KV value
// that is not a publishable version is a broken write (502); an alias outside the grammar is 400.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { Miniflare } from "miniflare";

const here = path.dirname(fileURLToPath(import.meta.url));
const srcRoot = path.resolve(here, "../..");
const workerDir = path.join(srcRoot, "main/worker");
const table = JSON.parse(readFileSync(path.join(srcRoot, "test/resources/key-rules.json"), "utf8"));
const ORIGIN = "https://cdn.example.com";

// Every byte outside the unreserved set is escaped, and so are the dots of a "." or ".." segment,
// which a URL parser would otherwise resolve before the Worker sees them.
function encodeSegment(segment) {
  return /^\.+$/.test(segment) ? segment.replaceAll(".", "%2E") : encodeURIComponent(segment);
}
const encodePath = (p) => p.split("/").map(encodeSegment).join("/");

describe("key rules table", { concurrency: 1 }, () => {
  let mf;
  let kv;
  before(async () => {
    mf = new Miniflare({
      modules: true,
      scriptPath: path.join(workerDir, "resolver.js"),
      modulesRoot: workerDir,
      compatibilityDate: "2025-12-01",
      kvNamespaces: ["ALIASES"],
      host: "127.0.0.1",
      cache: false,
    });
    kv = await mf.getKVNamespace("ALIASES");
  });
  after(async () => {
    await mf?.dispose();
  });

  const get = async (url) => {
    const res = await mf.dispatchFetch(url, { redirect: "manual", signal: AbortSignal.timeout(5000) });
    return { status: res.status, location: res.headers.get("location"), body: await res.text() };
  };

  test("paths: redirected exactly when a release can hold the name", async () => {
    await kv.put("lib/v1", "1.0.0");
    for (const { path: p, ok, why } of table.paths) {
      const encoded = encodePath(p);
      const res = await get(`${ORIGIN}/v1/lib/${encoded}`);
      if (ok) {
        assert.equal(res.status, 302, `${why}: ${res.body}`);
        assert.equal(res.location, `${ORIGIN}/v1.0.0/lib/${encoded}`, why);
      } else if (p.split("/").some((s) => s === "." || s === "..")) {
        // URL parsing resolves even %2E%2E before the Worker runs: whatever is answered, no
        // redirect may carry a dot segment.
        assert.ok(res.status === 400 || !/\/(\.|%2e){1,2}(\/|$)/i.test(new URL(res.location).pathname), `${why}: ${res.location}`);
      } else {
        assert.equal(res.status, 400, `${why}: ${res.status} ${res.body}`);
      }
    }
  });

  test("versions: a KV value is followed exactly when the publisher accepts it", async () => {
    for (const { text, ok } of table.versions) {
      await kv.put("lib/v1", text);
      const res = await get(`${ORIGIN}/v1/lib/x.js`);
      assert.equal(res.status, ok ? 302 : 502, `version ${JSON.stringify(text)}: ${res.body}`);
    }
  });

  test("aliases: resolved exactly when the publisher accepts the alias name", async () => {
    for (const { text, ok } of table.aliases) {
      await kv.put(`lib/${text}`, "1.0.0");
      const res = await get(`${ORIGIN}/${encodeSegment(text)}/lib/x.js`);
      assert.equal(res.status, ok ? 302 : 400, `alias ${JSON.stringify(text)}: ${res.body}`);
    }
  });
});
