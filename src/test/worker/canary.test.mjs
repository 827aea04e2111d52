// Canary splits in workerd with many client addresses: the share of clients on the canary side
// is near the percent, a client keeps its side, a ramp only adds clients, both KV value forms
// (bare value, value with canary metadata) resolve, and the published hash examples
// (resolver-vectors.json canaryBuckets) hold.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Miniflare } from "miniflare";
import resolver from "../../main/worker/resolver.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const srcRoot = path.resolve(here, "../..");
const workerDir = path.join(srcRoot, "main/worker");
const { canaryBuckets } = JSON.parse(readFileSync(path.join(srcRoot, "test/resources/resolver-vectors.json"), "utf8"));
const TIMEOUT_MS = 5000;
const CLIENTS = 1000;
// 1,000 clients at 25%: the binomial standard deviation is 1.4 points; 5 points is over 3.5 of them.
const TOLERANCE = 0.05;
const BATCH = 50;

// Deterministic, spread-out client addresses: IPv4 and IPv6, as Cloudflare sends them.
const ips = Array.from({ length: CLIENTS }, (_, i) =>
  i % 4 === 3 ? `2001:db8:${(i * 7919) % 65536}::${i.toString(16)}` : `${10 + (i % 200)}.${(i * 37) % 256}.${(i * 101) % 256}.${i % 254 + 1}`);

async function versionFor(mf, alias, ip) {
  const res = await mf.dispatchFetch(`https://cdn.example.com/${alias}/chatleo/loader.js`, {
    redirect: "manual",
    headers: ip === undefined ? {} : { "CF-Connecting-IP": ip },
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  await res.arrayBuffer();
  assert.equal(res.status, 302);
  return /\/v([^/]+)\/chatleo\//.exec(res.headers.get("location"))[1];
}

// Every client's version, BATCH requests at a time.
async function sides(mf, alias, clients) {
  const versions = [];
  for (let i = 0; i < clients.length; i += BATCH) {
    versions.push(...(await Promise.all(clients.slice(i, i + BATCH).map((ip) => versionFor(mf, alias, ip)))));
  }
  return versions;
}

describe("canary split", { timeout: 120000 }, () => {
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
    });
    kv = await mf.getKVNamespace("ALIASES");
  });
  after(() => mf?.dispose());

  const canary = (percent) => ({ metadata: { canary: { version: "1.2.4", percent } } });

  test("25% then 50% of many clients get the canary, each client keeps its side, a ramp only adds clients", async () => {
    await kv.put("chatleo/v1", "1.2.3", canary(25));
    const at25 = await sides(mf, "v1", ips);
    assert.deepEqual(new Set(at25), new Set(["1.2.3", "1.2.4"]));
    const share25 = at25.filter((v) => v === "1.2.4").length / CLIENTS;
    assert.ok(Math.abs(share25 - 0.25) <= TOLERANCE, `share at 25%: ${share25}`);

    assert.deepEqual(await sides(mf, "v1", ips), at25, "the same client gets the same version again");

    await kv.put("chatleo/v1", "1.2.3", canary(50));
    const at50 = await sides(mf, "v1", ips);
    const share50 = at50.filter((v) => v === "1.2.4").length / CLIENTS;
    assert.ok(Math.abs(share50 - 0.5) <= TOLERANCE, `share at 50%: ${share50}`);
    at25.forEach((v, i) => {
      if (v === "1.2.4") assert.equal(at50[i], "1.2.4", `client ${ips[i]} left the canary on a ramp`);
    });
  });

  test("the split is independent per alias: the same clients fall differently on latest", async () => {
    await kv.put("chatleo/v1", "1.2.3", canary(50));
    await kv.put("chatleo/latest", "1.2.3", canary(50));
    const clients = ips.slice(0, 200);
    const onV1 = await sides(mf, "v1", clients);
    const onLatest = await sides(mf, "latest", clients);
    const differ = onV1.filter((v, i) => v !== onLatest[i]).length;
    // Independent halves disagree for about half the clients; the same hash would give 0.
    assert.ok(differ > 60 && differ < 140, `${differ} of 200 clients differ between v1 and latest`);
  });

  test("a bare KV value (no metadata, what an older cdnpub writes) sends every client to it", async () => {
    await kv.put("chatleo/v1", "1.2.3");
    const versions = await sides(mf, "v1", ips.slice(0, 200));
    assert.deepEqual(new Set(versions), new Set(["1.2.3"]));
  });

  test("a write without metadata removes the earlier canary (as cdnpub does to end one)", async () => {
    await kv.put("chatleo/v1", "1.2.3", canary(99));
    assert.equal((await kv.getWithMetadata("chatleo/v1")).metadata.canary.percent, 99);
    await kv.put("chatleo/v1", "1.2.3");
    assert.equal((await kv.getWithMetadata("chatleo/v1")).metadata, null);
    assert.deepEqual(new Set(await sides(mf, "v1", ips.slice(0, 100))), new Set(["1.2.3"]));
  });

  test("the published hash examples hold: a client is on the canary exactly when its bucket is below the percent", async () => {
    assert.ok(canaryBuckets.length >= 5);
    for (const { ip, key, bucket } of canaryBuckets) {
      const alias = key.slice("chatleo/".length);
      if (bucket + 1 <= 99) {
        await kv.put(key, "1.2.3", canary(bucket + 1));
        assert.equal(await versionFor(mf, alias, ip), "1.2.4", `${ip} ${key} bucket ${bucket} at ${bucket + 1}%`);
      }
      if (bucket >= 1) {
        await kv.put(key, "1.2.3", canary(bucket));
        assert.equal(await versionFor(mf, alias, ip), "1.2.3", `${ip} ${key} bucket ${bucket} at ${bucket}%`);
      }
    }
  });
});

// Miniflare's dispatchFetch always adds a CF-Connecting-IP, so a request without one is sent to
// the module directly, in Node.
test("a client without CF-Connecting-IP gets the stable version, even at 99%", async () => {
  const env = {
    ALIASES: {
      async getWithMetadata() {
        return { value: "1.2.3", metadata: { canary: { version: "1.2.4", percent: 99 } } };
      },
    },
  };
  const res = await resolver.fetch({ method: "GET", url: "https://cdn.example.com/v1/chatleo/x.js", headers: new Headers() }, env, {});
  assert.equal(res.status, 302);
  assert.equal(res.headers.get("location"), "https://cdn.example.com/v1.2.3/chatleo/x.js");
  assert.equal(res.headers.get("cache-control"), "private, max-age=60");
});
