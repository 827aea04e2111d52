// Runs the resolver inside workerd (through Miniflare) against the shared vectors in
// src/test/resources/resolver-vectors.json, plus a few behaviours a table cannot express.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import http from "node:http";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { Miniflare } from "miniflare";

const here = path.dirname(fileURLToPath(import.meta.url));
const srcRoot = path.resolve(here, "../..");
const workerDir = path.join(srcRoot, "main/worker");
const { cases: allCases } = JSON.parse(readFileSync(path.join(srcRoot, "test/resources/resolver-vectors.json"), "utf8"));
// "targets" names the resolvers a case applies to (default: all); one left out says why.
const RUNNERS = ["worker", "serve"];
const appliesHere = (c) => (c.targets ?? RUNNERS).includes("worker");
const cases = allCases.filter(appliesHere);

const COMPATIBILITY_DATE = "2025-12-01";
// What the Workers API uses when a deploy names no date. Its URL class is the legacy one
// (re-encodes search, collapses //, rejects %zz), so the cases without vars, which are the ones
// about URLs, run under it too. Every workerd start costs about a second, hence not all cases.
const LEGACY_COMPATIBILITY_DATE = "2021-11-02";
const REQUEST_TIMEOUT_MS = 5000;
const START_TIMEOUT_MS = 30000; // a workerd start takes about a second; a hung one must not hang the build

function startWorker(compatibilityDate, vars = {}, extra = {}) {
  return new Miniflare({
    modules: true,
    scriptPath: path.join(workerDir, "resolver.js"),
    modulesRoot: workerDir,
    compatibilityDate,
    kvNamespaces: ["ALIASES"],
    bindings: vars,
    host: "127.0.0.1",
    // The vectors reuse URLs with different KV content; the edge cache has its own tests.
    cache: false,
    ...extra,
  });
}

// Miniflare's KV starts empty and each round trip to it costs tens of milliseconds, so only
// the difference from what the instance already holds is written. An entry is a value and its
// metadata (undefined: none), compared as JSON.
function entries(c) {
  const metadata = c.kvMetadata ?? {};
  for (const k of Object.keys(metadata)) assert.ok(k in (c.kv ?? {}), `kvMetadata for ${k}, which has no value`);
  return Object.fromEntries(Object.entries(c.kv ?? {}).map(([k, value]) => [k, JSON.stringify({ value, metadata: metadata[k] })]));
}

async function seedKv(mf, held, wanted) {
  const kv = await mf.getKVNamespace("ALIASES");
  if (held === null) {
    // A previous seed failed half-way: start from what is really there (a handful of keys).
    const { keys } = await kv.list();
    held = Object.fromEntries(keys.map((k) => [k.name, undefined]));
  }
  await Promise.all([
    ...Object.keys(held).filter((k) => !(k in wanted)).map((k) => kv.delete(k)),
    ...Object.entries(wanted).filter(([k, v]) => held[k] !== v).map(([k, v]) => {
      const { value, metadata } = JSON.parse(v);
      return metadata === undefined ? kv.put(k, value) : kv.put(k, value, { metadata });
    }),
  ]);
}

async function send(mf, request) {
  if (request.transport === "raw-http") return sendRaw(mf, request);
  const res = await mf.dispatchFetch(request.url, {
    method: request.method,
    headers: request.headers ?? {},
    redirect: "manual",
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  return { status: res.status, headers: res.headers, body: await res.text() };
}

// dispatchFetch goes through undici, which rewrites some URLs (an empty "?" disappears);
// this writes the request line exactly as given, to Miniflare's loopback listener.
async function sendRaw(mf, request) {
  const target = await mf.ready;
  const m = /^http:\/\/([^/]+)(\/.*)$/.exec(request.url);
  assert.ok(m, `raw-http vectors need an http:// URL: ${request.url}`);
  const [, host, rawPath] = m;
  // Node writes the request line as latin1: hand it the UTF-8 bytes so non-ASCII goes out as sent.
  const pathBytes = Buffer.from(rawPath, "utf8").toString("latin1");
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: target.hostname,
      port: target.port,
      method: request.method,
      path: pathBytes,
      headers: { ...request.headers, host },
      agent: false,
      timeout: REQUEST_TIMEOUT_MS,
    });
    req.on("timeout", () => req.destroy(new Error("raw request timed out")));
    req.on("error", reject);
    req.on("response", (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => {
        const headers = new Headers();
        for (const [k, v] of Object.entries(res.headers)) headers.set(k, Array.isArray(v) ? v.join(", ") : v);
        resolve({ status: res.statusCode, headers, body: Buffer.concat(chunks).toString("utf8") });
      });
    });
    req.end();
  });
}

function check(actual, expect) {
  assert.equal(actual.status, expect.status, `status (body: ${JSON.stringify(actual.body)})`);
  for (const [name, value] of Object.entries(expect.headers ?? {})) {
    assert.equal(actual.headers.get(name), value, `header ${name}`);
  }
  for (const name of expect.absentHeaders ?? []) {
    assert.equal(actual.headers.get(name), null, `header ${name} must be absent`);
  }
  if (expect.body !== undefined) assert.equal(actual.body, expect.body, "body");
  if (expect.bodyContains !== undefined) {
    assert.ok(actual.body.includes(expect.bodyContains), `body ${JSON.stringify(actual.body)} lacks ${JSON.stringify(expect.bodyContains)}`);
    assert.ok(/^[^\n]*\n$/.test(actual.body), `body must be one line: ${JSON.stringify(actual.body)}`);
  }
}

function groupByVars(all) {
  const groups = new Map();
  for (const c of all) {
    const key = JSON.stringify(Object.entries(c.vars ?? {}).sort());
    if (!groups.has(key)) groups.set(key, { vars: c.vars ?? {}, cases: [] });
    groups.get(key).cases.push(c);
  }
  return [...groups.values()];
}

function instances() {
  const groups = groupByVars(cases);
  const plain = groups.find((g) => Object.keys(g.vars).length === 0);
  return [
    ...groups.map((g) => ({ date: COMPATIBILITY_DATE, ...g })),
    ...(plain ? [{ date: LEGACY_COMPATIBILITY_DATE, ...plain }] : []),
  ];
}

// Each instance has its own workerd and KV, so instances run side by side; the cases of one
// instance run in order because they reseed the same KV.
describe("vectors", { concurrency: true }, () => {
  for (const { date, vars, cases: group } of instances()) {
    describe(`compatibility date ${date}, vars ${JSON.stringify(vars)}`, { concurrency: 1 }, () => {
      let mf;
      let held = {};
      before(async () => {
        mf = startWorker(date, vars);
        await mf.ready;
      }, { timeout: START_TIMEOUT_MS });
      after(() => mf?.dispose());
      for (const c of group) {
        test(c.name, async () => {
          const wanted = entries(c);
          const previous = held;
          held = null;
          await seedKv(mf, previous, wanted);
          held = wanted;
          check(await send(mf, c.request), c.expect);
        });
      }
    });
  }
});

describe("vectors for other resolvers only", () => {
  test("every targets field names known resolvers, and one that leaves a resolver out says why", () => {
    for (const c of allCases.filter((c) => c.targets)) {
      assert.ok(c.targets.length > 0 && c.targets.every((t) => RUNNERS.includes(t)), `${c.name}: targets ${c.targets}`);
      assert.ok(c.targets.length === RUNNERS.length || c.targetsReason?.length > 0, `${c.name}: no targetsReason`);
    }
  });
  for (const c of allCases.filter((c) => !appliesHere(c))) {
    test(c.name, { skip: `not for the Worker: ${c.targetsReason}` }, () => {});
  }
});

describe("beyond the vectors", () => {
  let mf;
  before(async () => {
    mf = startWorker(COMPATIBILITY_DATE);
    await seedKv(mf, {}, entries({ kv: { "chatleo/v1": "1.2.3" } }));
  }, { timeout: START_TIMEOUT_MS });
  after(() => mf?.dispose());

  test("the runtime resolves dot segments before the Worker sees them, so the redirect stays in the library", async () => {
    const res = await sendRaw(mf, { method: "GET", url: "http://cdn.example.com/v1/chatleo/sub/../x.js?a=b" });
    assert.equal(res.status, 302);
    assert.equal(res.headers.get("location"), "http://cdn.example.com/v1.2.3/chatleo/x.js?a=b");
  });

  test("a raw backslash reaches the Worker as a slash", async () => {
    const res = await sendRaw(mf, { method: "GET", url: "http://cdn.example.com/v1/chatleo/a\\b.js" });
    assert.equal(res.status, 302);
    assert.equal(res.headers.get("location"), "http://cdn.example.com/v1.2.3/chatleo/a/b.js");
  });

  test("an over-long library name is refused before KV is asked (KV keys stay under 512 bytes)", async () => {
    for (const [library, reason] of [["a".repeat(520), /longer than 255 bytes/], ["a".repeat(215), /bad library name/]]) {
      const res = await send(mf, { method: "GET", url: `https://cdn.example.com/v1/${library}/x.js` });
      assert.equal(res.status, 400);
      assert.match(res.body, reason);
      assert.equal(res.headers.get("access-control-allow-origin"), "*");
    }
    // The longest library (214) and tag (64) make a KV key well inside KV's 512 bytes.
    const res = await send(mf, { method: "GET", url: `https://cdn.example.com/${"t".repeat(64)}/${"a".repeat(214)}/x.js` });
    assert.equal(res.status, 404);
  });

  test("a failing alias store gives 503 with CORS, not an exception", async () => {
    // A plain string in place of the KV binding makes get() throw, as an outage would.
    const broken = startWorker(COMPATIBILITY_DATE, { ALIASES: "not a KV namespace" }, { kvNamespaces: [] });
    try {
      const res = await send(broken, { method: "GET", url: "https://cdn.example.com/v1/chatleo/x.js" });
      assert.equal(res.status, 503);
      assert.equal(res.headers.get("access-control-allow-origin"), "*");
      assert.equal(res.headers.get("cache-control"), "no-store");
      assert.equal(res.headers.get("location"), null);
    } finally {
      await broken.dispose();
    }
  });
});
