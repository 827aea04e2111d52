// The resolver keeps no edge cache of its own (docs/worker.md, "How long a move takes"): with
// Miniflare's Cache API on, a move is seen by the very next request, nothing is stored in
// caches.default, and one side of a canary is never answered with the other side's redirect.
// The vectors run with the cache off; these tests turn it on. Also the KV read options.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Miniflare } from "miniflare";
import resolver from "../../main/worker/resolver.js";

const workerDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../main/worker");
const TIMEOUT_MS = 5000;

async function answer(mf, url, ip) {
  const res = await mf.dispatchFetch(url, {
    redirect: "manual",
    headers: ip ? { "CF-Connecting-IP": ip } : {},
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  await res.arrayBuffer();
  return { location: `${res.status} ${res.headers.get("location")}`, cacheControl: res.headers.get("cache-control") };
}

describe("no edge cache of the Worker's own", { timeout: 60000 }, () => {
  let mf;
  before(async () => {
    mf = new Miniflare({
      modules: true,
      scriptPath: path.join(workerDir, "resolver.js"),
      modulesRoot: workerDir,
      compatibilityDate: "2025-12-01",
      kvNamespaces: ["ALIASES"],
      host: "127.0.0.1",
      cache: true,
    });
    await mf.ready;
  });
  after(() => mf?.dispose());

  test("a move is seen by the next request, and nothing is put in the Cache API", async () => {
    const kv = await mf.getKVNamespace("ALIASES");
    const url = "https://cdn.example.com/v1/chatleo/loader.js?a=1";
    await kv.put("chatleo/v1", "1.2.3");
    assert.equal((await answer(mf, url)).location, "302 https://cdn.example.com/v1.2.3/chatleo/loader.js?a=1");
    await kv.put("chatleo/v1", "1.2.4");
    assert.equal((await answer(mf, url)).location, "302 https://cdn.example.com/v1.2.4/chatleo/loader.js?a=1");
    // Give a waitUntil write (if any) time to land before looking.
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(await (await mf.getCaches()).default.match(url), undefined);
  });

  test("one URL answers each side of a canary with its own version, one after the other", async () => {
    const kv = await mf.getKVNamespace("ALIASES");
    await kv.put("chatleo/v1", "1.2.3", { metadata: { canary: { version: "1.2.4", percent: 31 } } });
    const url = "https://cdn.example.com/v1/chatleo/loader.js";
    // Buckets on chatleo/v1 (resolver-vectors.json canaryBuckets): 203.0.113.7 is 30, 203.0.113.8 is 71.
    for (let round = 0; round < 2; round++) {
      assert.deepEqual(await answer(mf, url, "203.0.113.7"),
        { location: "302 https://cdn.example.com/v1.2.4/chatleo/loader.js", cacheControl: "private, max-age=60" });
      assert.deepEqual(await answer(mf, url, "203.0.113.8"),
        { location: "302 https://cdn.example.com/v1.2.3/chatleo/loader.js", cacheControl: "private, max-age=60" });
    }
  });

  test("ending a canary is seen by the next request of a canary-side client", async () => {
    const kv = await mf.getKVNamespace("ALIASES");
    const url = "https://cdn.example.com/v1/chatleo/end.js";
    await kv.put("chatleo/v1", "1.2.3", { metadata: { canary: { version: "1.2.4", percent: 31 } } });
    assert.equal((await answer(mf, url, "203.0.113.7")).location, "302 https://cdn.example.com/v1.2.4/chatleo/end.js");
    await kv.put("chatleo/v1", "1.2.3");
    assert.deepEqual(await answer(mf, url, "203.0.113.7"),
      { location: "302 https://cdn.example.com/v1.2.3/chatleo/end.js", cacheControl: "public, max-age=300" });
  });
});

describe("KV read options", () => {
  function spyEnv(vars) {
    const calls = [];
    return {
      calls,
      env: { ...vars, ALIASES: { async getWithMetadata(key, options) { calls.push(options); return { value: "1.2.3", metadata: null }; } } },
    };
  }
  const get = (env) => resolver.fetch({ method: "GET", url: "https://cdn.example.com/v1/chatleo/x.js", headers: new Headers() }, env, {});

  for (const [vars, expected] of [[{}, 60], [{ KV_CACHE_TTL: "300" }, 300], [{ KV_CACHE_TTL: "0" }, 60], [{ KV_CACHE_TTL: "soon" }, 60]]) {
    test(`KV is read with its metadata and cacheTtl ${expected} for ${JSON.stringify(vars)}`, async () => {
      const spy = spyEnv(vars);
      const res = await get(spy.env);
      assert.equal(res.status, 302);
      assert.deepEqual(spy.calls, [{ cacheTtl: expected }]);
    });
  }
});
