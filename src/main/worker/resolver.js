// cdnpub resolver: turns a moving alias (/latest/, /v1/, /v1.2/, /next/) into a 302 to the
// immutable version prefix in R2 (/v1.2.3/...). Alias -> version lives in the KV namespace ALIASES
// under "{library}/{alias}"; cdnpub writes it, this Worker only reads it. The value is the bare
// stable version; a canary rides in the key's metadata ({"canary": {"version", "percent"}}), so a
// Worker that reads only the value sends everyone to the stable version.

const DEFAULTS = {
  ALIAS_BROWSER_TTL: 300,
  ALIAS_SHORT_BROWSER_TTL: 60,
  KV_CACHE_TTL: 60,
};
// KV refuses a cacheTtl below 60 s, and a failed read would turn every request into an error.
const KV_MIN_CACHE_TTL = 60;
// A miss must not outlive the publish that fills it by much.
const MISS_CACHE_CONTROL = "public, max-age=30";

const ALLOWED_METHODS = "GET, HEAD, OPTIONS";
const CORS = {
  "Access-Control-Allow-Origin": "*",
  // Without this a cross-origin fetch with redirect: "manual" cannot read where the alias points.
  "Access-Control-Expose-Headers": "Location",
  "Timing-Allow-Origin": "*",
};

const LIBRARY = /^[a-z0-9][a-z0-9._-]{0,213}$/;
// The same limits as the publisher (ReleaseVersion, AliasName): MAJOR, MINOR and PATCH have at
// most 9 digits, numeric prerelease identifiers at most 18, a version at most 128 characters.
const MAJOR_OR_MINOR = /^v(0|[1-9][0-9]{0,8})(?:\.(0|[1-9][0-9]{0,8}))?$/;
const PINNED = /^v[0-9]+\.[0-9]+\.[0-9]+/;
const TAG = /^[a-z][a-z0-9-]{0,63}$/;
// Semver 2.0 (semver.org's regex) without build metadata: the publisher never writes "+build",
// and anything else in the value is a broken write that must not become a Location.
const VERSION =
  /^(0|[1-9][0-9]{0,8})\.(0|[1-9][0-9]{0,8})\.(0|[1-9][0-9]{0,8})(?:-(?:0|[1-9][0-9]{0,17}|[0-9]*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9][0-9]{0,17}|[0-9]*[a-zA-Z-][0-9a-zA-Z-]*))*)?$/;
const MAX_VERSION_LENGTH = 128;
// The publisher's rule for stored names (KeyRules.java, one table: src/test/resources/key-rules.json):
// a request for a name no release can hold is refused here rather than sent to the bucket.
const MAX_KEY_BYTES = 1024;
const MAX_SEGMENT_BYTES = 255;
// \p{Cn} (unassigned) too: a character this V8 does not know may be a format character to another
// Unicode version, and the publisher (Java) refuses unassigned code points as well.
const FORBIDDEN_CHARACTER = /[\\?#%\uFFFD]|\p{Cc}|\p{Cf}|\p{Cn}/u;
const utf8 = new TextEncoder();
const RECORDS_PREFIX = "_cdnpub";

function safeDecode(segment) {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export default {
  // HEAD takes the GET path: the runtime sends the same status and headers and drops the body.
  // No Cache API layer: KV's own cacheTtl already keeps the value at the edge, and a Cache-API
  // entry (which no zone purge is confirmed to reach) would add its lifetime to every rollback.
  // See docs/worker.md, "How long a move takes".
  fetch(request, env) {
    return resolve(request, env);
  },
};

async function resolve(request, env) {
  const method = request.method;
  if (method === "OPTIONS") {
    return new Response(null, {
      status: 204,
      headers: {
        ...CORS,
        "Access-Control-Allow-Methods": ALLOWED_METHODS,
        "Access-Control-Allow-Headers": request.headers.get("Access-Control-Request-Headers") || "*",
        "Access-Control-Max-Age": "86400",
        "Vary": "Access-Control-Request-Headers",
      },
    });
  }
  if (method !== "GET" && method !== "HEAD") {
    return text(405, `method not allowed: ${method}`, { Allow: ALLOWED_METHODS });
  }

  // Work on the raw request.url text: URL.pathname and URL.search are re-serialized, differently
  // depending on the compatibility date (old dates turn %20 into + and collapse //), and the
  // redirect must carry the path and query exactly as the client sent them.
  // Not new URL() either: the legacy parser throws on text the runtime itself let through (%zz).
  const url = request.url;
  const pathStart = url.indexOf("/", url.indexOf("//") + 2);
  const origin = url.slice(0, pathStart);
  const queryStart = url.indexOf("?", pathStart);
  const rawPath = queryStart < 0 ? url.slice(pathStart) : url.slice(pathStart, queryStart);
  const rawQuery = queryStart < 0 ? "" : url.slice(queryStart);

  const segments = rawPath.slice(1).split("/");
  // cdnpub's own records (claims, manifests, alias logs, yank reasons) live in the same public
  // bucket under _cdnpub/; the route {host}/_cdnpub/* sends that path here, so the CDN host never
  // serves them. 404 as if absent, never cached. Decoded, so /%5Fcdnpub/ is caught too.
  if (safeDecode(segments[0]) === RECORDS_PREFIX) return text(404, "not found");
  if (segments.length < 3 || (segments.length === 3 && segments[2] === "")) {
    return text(400, "bad path: expected /{alias}/{library}/{file}");
  }
  const problem = unsafeSegment(segments);
  if (problem) return text(400, `bad path: ${problem}`);

  const [alias, library] = segments;
  if (PINNED.test(alias)) {
    return text(404, `not an alias: ${alias} (pinned versions are served from the bucket)`, {
      "Cache-Control": MISS_CACHE_CONTROL,
    });
  }
  const short = aliasIsShortLived(alias);
  if (short === undefined) return text(400, `bad alias: ${alias}`);
  if (!LIBRARY.test(library)) return text(400, `bad library name: ${library}`);
  // At most 214 + 1 + 64 bytes: well inside KV's 512-byte key limit.
  const key = `${library}/${alias}`;

  let stored;
  try {
    stored = await env.ALIASES.getWithMetadata(key, { cacheTtl: Math.max(KV_MIN_CACHE_TTL, ttl(env, "KV_CACHE_TTL")) });
  } catch {
    return text(503, `alias store unavailable: ${key}`);
  }
  const stable = stored?.value ?? null;
  if (stable === null) {
    return text(404, `no such alias: ${key}`, { "Cache-Control": MISS_CACHE_CONTROL });
  }
  if (!isVersion(stable)) {
    return text(502, `alias ${key} does not hold a version`);
  }
  // Metadata that is not a well-formed canary is ignored: everyone gets the stable value, exactly
  // what a Worker that never reads metadata does, instead of an outage over a broken annotation.
  const canary = canaryOf(stored.metadata);
  let version = stable;
  if (canary) {
    const ip = request.headers.get("CF-Connecting-IP");
    // A client without an address cannot be kept on one side, so it stays on the stable one.
    if (ip && (await bucketOf(ip, key)) < canary.percent) version = canary.version;
  }

  // A canary alias is about to move again (ramp, promote or end), so it gets the short browser
  // TTL, and "private": its answer depends on the client, so no shared cache may hand it on.
  const browser = ttl(env, short || canary ? "ALIAS_SHORT_BROWSER_TTL" : "ALIAS_BROWSER_TTL");
  const file = segments.slice(2).join("/");
  const target = `v${version}/${library}/${segments.slice(2).map(decodeURIComponent).join("/")}`;
  if (utf8.encode(target).length > MAX_KEY_BYTES) return text(400, "bad path: name too long");
  // Not Response.redirect(): its headers are immutable, and we need Cache-Control and CORS.
  return new Response(null, {
    status: 302,
    headers: {
      ...CORS,
      "Location": `${origin}/v${version}/${library}/${file}${rawQuery}`,
      "Cache-Control": `${canary ? "private" : "public"}, max-age=${browser}`,
    },
  });
}

function isVersion(value) {
  return typeof value === "string" && value.length <= MAX_VERSION_LENGTH && VERSION.test(value);
}

// The canary cdnpub writes: {"canary": {"version": "1.2.4", "percent": 25}}, percent a whole
// number from 1 to 99. Anything else (no metadata, no canary, a malformed one) is no canary.
function canaryOf(metadata) {
  const canary = metadata !== null && typeof metadata === "object" ? metadata.canary : undefined;
  if (canary === null || typeof canary !== "object") return null;
  const { version, percent } = canary;
  if (!isVersion(version) || !Number.isInteger(percent) || percent < 1 || percent > 99) return null;
  return { version, percent };
}

// A client's side of a canary: the first 4 bytes of SHA-256("{ip}\n{library}/{alias}") as an
// unsigned big-endian number, mod 100; the client gets the canary when that is below the percent.
// Stable for a client while the split stands, independent between aliases, and a ramp only adds
// clients to the canary side. Documented in docs/aliases.md for other implementations.
async function bucketOf(ip, key) {
  const digest = await crypto.subtle.digest("SHA-256", utf8.encode(`${ip}\n${key}`));
  return new DataView(digest).getUint32(0) % 100;
}

// The runtime normally resolves "." and ".." before we see the URL, but not encoded slashes,
// and nothing guarantees it for every caller, so check what each segment means once decoded.
function unsafeSegment(segments) {
  for (const segment of segments) {
    if (segment === "") return "empty segment";
    let decoded;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      return "invalid percent-encoding";
    }
    if (decoded === "." || decoded === "..") return "dot segment";
    if (decoded.includes("/") || decoded.includes("\\")) return "slash or backslash inside a segment";
    const problem = nameProblem(decoded);
    if (problem) return problem;
  }
  return null;
}

function nameProblem(segment) {
  if (utf8.encode(segment).length > MAX_SEGMENT_BYTES) return "segment longer than 255 bytes";
  if (segment.startsWith(" ") || segment.endsWith(" ")) return "segment starts or ends with a space";
  const forbidden = FORBIDDEN_CHARACTER.exec(segment);
  if (forbidden) {
    const c = forbidden[0];
    return /^[?#%]$/.test(c) ? `'${c}' in a name` : `character U+${c.codePointAt(0).toString(16).toUpperCase().padStart(4, "0")} in a name`;
  }
  if (segment.normalize("NFC") !== segment) return "name not in Unicode NFC form";
  return null;
}

// true: moves often (v0.x, named tags), short TTLs; false: stable line; undefined: not an alias.
function aliasIsShortLived(alias) {
  if (alias === "latest") return false;
  const versioned = MAJOR_OR_MINOR.exec(alias);
  if (versioned) return versioned[1] === "0";
  // "v01" or "v1-x" would be read as a tag yet look like a version line: refuse the ambiguity.
  if (/^v[0-9]/.test(alias)) return undefined;
  return TAG.test(alias) ? true : undefined;
}

// Vars are strings from the deploy; a typo there must not break caching, so it means the default.
function ttl(env, name) {
  const raw = String(env[name] ?? "");
  const seconds = Number(raw);
  return /^[0-9]+$/.test(raw) && Number.isSafeInteger(seconds) ? seconds : DEFAULTS[name];
}

function text(status, line, extraHeaders = {}) {
  return new Response(`${line}\n`, {
    status,
    headers: {
      ...CORS,
      "Content-Type": "text/plain; charset=utf-8",
      "Cache-Control": "no-store",
      ...extraHeaders,
    },
  });
}
