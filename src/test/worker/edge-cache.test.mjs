// The resolver's edge cache (Cache API) and its KV read options. The vectors run with the cache
// off, since they reuse URLs with different KV content; these tests turn it on.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Miniflare } from "miniflare";
import resolver from "../../main/worker/resolver.js";

const workerDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../main/worker");
const TIMEOUT_MS = 5000;

function start(vars) {
  return new Miniflare({
    modules: true,
    scriptPath: path.join(workerDir, "resolver.js"),
    modulesRoot: workerDir,
    compatibilityDate: "2025-12-01",
    kvNamespaces: ["ALIASES"],
    bindings: vars,
    host: "127.0.0.1",
    cache: true,
  });
}

async function location(mf, url) {
  const res = await mf.dispatchFetch(url, { redirect: "manual", signal: AbortSignal.timeout(TIMEOUT_MS) });
  await res.arrayBuffer();
  return `${res.status} ${res.headers.get("location")}`;
}

// Cache writes happen in waitUntil, after the answer: poll until the entry is there.
async function untilCached(mf, url, expected) {
  for (let i = 0; i < 250; i++) {
    const cached = await (await mf.getCaches()).default.match(url);
    if (cached) return cached.headers.get("location");
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.fail(`no cache entry for ${url} (expected ${expected})`);
}

describe("edge cache", { timeout: 60000 }, () => {
  let mf;
  let uncached;
  before(async () => {
    mf = start({});
    uncached = start({ ALIAS_EDGE_TTL: "0" });
  });
  after(async () => {
    await mf?.dispose();
    await uncached?.dispose();
  });

  test("a redirect is served from the edge cache for its edge TTL, keyed on the full URL", async () => {
    const kv = await mf.getKVNamespace("ALIASES");
    await kv.put("chatleo/v1", "1.2.3");
    const url = "https://cdn.example.com/v1/chatleo/loader.js?a=1";
    assert.equal(await location(mf, url), "302 https://cdn.example.com/v1.2.3/chatleo/loader.js?a=1");
    assert.equal(await untilCached(mf, url, "1.2.3"), "https://cdn.example.com/v1.2.3/chatleo/loader.js?a=1");
    await kv.put("chatleo/v1", "1.2.4");
    assert.equal(await location(mf, url), "302 https://cdn.example.com/v1.2.3/chatleo/loader.js?a=1", "cached at the edge");
    assert.equal(await location(mf, "https://cdn.example.com/v1/chatleo/loader.js?a=2"),
      "302 https://cdn.example.com/v1.2.4/chatleo/loader.js?a=2", "another query is another cache key");
  });

  test("ALIAS_EDGE_TTL=0 keeps redirects out of the edge cache", async () => {
    const kv = await uncached.getKVNamespace("ALIASES");
    await kv.put("chatleo/v1", "1.2.3");
    const url = "https://cdn.example.com/v1/chatleo/loader.js";
    assert.equal(await location(uncached, url), "302 https://cdn.example.com/v1.2.3/chatleo/loader.js");
    await kv.put("chatleo/v1", "1.2.4");
    assert.equal(await location(uncached, url), "302 https://cdn.example.com/v1.2.4/chatleo/loader.js");
  });

  test("misses are not cached at the edge", async () => {
    const url = "https://cdn.example.com/v7/chatleo/loader.js";
    assert.equal(await location(mf, url), "404 null");
    await (await mf.getKVNamespace("ALIASES")).put("chatleo/v7", "7.0.0");
    assert.equal(await location(mf, url), "302 https://cdn.example.com/v7.0.0/chatleo/loader.js");
  });
});

describe("KV read options", () => {
  function spyEnv(vars) {
    const calls = [];
    return {
      calls,
      env: { ...vars, ALIASES: { async get(key, options) { calls.push(options); return "1.2.3"; } } },
    };
  }
  const get = (env) => resolver.fetch({ method: "GET", url: "https://cdn.example.com/v1/chatleo/x.js", headers: new Headers() }, env, {});

  for (const [vars, expected] of [[{}, 60], [{ KV_CACHE_TTL: "300" }, 300], [{ KV_CACHE_TTL: "0" }, 60], [{ KV_CACHE_TTL: "soon" }, 60]]) {
    test(`KV is read with cacheTtl ${expected} for ${JSON.stringify(vars)}`, async () => {
      const spy = spyEnv(vars);
      const res = await get(spy.env);
      assert.equal(res.status, 302);
      assert.deepEqual(spy.calls, [{ cacheTtl: expected }]);
    });
  }
});
