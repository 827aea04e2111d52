// cdnpub resolver: turns a moving alias (/latest/, /v1/, /v1.2/, /next/) into a 302 to the
// immutable version prefix in R2 (/v1.2.3/...). Alias -> version lives in the KV namespace ALIASES
// under "{library}/{alias}"; cdnpub writes it, this Worker only reads it.

const DEFAULTS = {
  ALIAS_BROWSER_TTL: 300,
  ALIAS_EDGE_TTL: 60,
  ALIAS_SHORT_BROWSER_TTL: 60,
  ALIAS_SHORT_EDGE_TTL: 30,
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
const FORBIDDEN_CHARACTER = /[\\?#%\uFFFD]|\p{Cc}|\p{Cf}/u;
const utf8 = new TextEncoder();

export default {
  // HEAD takes the GET path: the runtime sends the same status and headers and drops the body.
  async fetch(request, env, ctx) {
    // A route Worker runs in front of Cloudflare's cache, so what it builds is cached at the edge
    // only through the Cache API. That is what makes ALIAS_EDGE_TTL (s-maxage) real, and spares a
    // Worker-side KV read on every hit. Keyed on the full URL: the Location carries the query.
    if (request.method !== "GET" || typeof caches === "undefined") return resolve(request, env);
    let hit;
    try {
      hit = await caches.default.match(request.url);
    } catch {
      // A cache failure must cost a KV read, never the answer.
    }
    if (hit) return hit;
    const response = await resolve(request, env);
    if (response.status === 302 && ctx?.waitUntil) {
      ctx.waitUntil(caches.default.put(request.url, response.clone()).catch(() => {}));
    }
    return response;
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

  let version;
  try {
    version = await env.ALIASES.get(key, { cacheTtl: Math.max(KV_MIN_CACHE_TTL, ttl(env, "KV_CACHE_TTL")) });
  } catch {
    return text(503, `alias store unavailable: ${key}`);
  }
  if (version === null) {
    return text(404, `no such alias: ${key}`, { "Cache-Control": MISS_CACHE_CONTROL });
  }
  if (version.length > MAX_VERSION_LENGTH || !VERSION.test(version)) {
    return text(502, `alias ${key} does not hold a version`);
  }

  const browser = ttl(env, short ? "ALIAS_SHORT_BROWSER_TTL" : "ALIAS_BROWSER_TTL");
  const edge = ttl(env, short ? "ALIAS_SHORT_EDGE_TTL" : "ALIAS_EDGE_TTL");
  const file = segments.slice(2).join("/");
  const target = `v${version}/${library}/${segments.slice(2).map(decodeURIComponent).join("/")}`;
  if (utf8.encode(target).length > MAX_KEY_BYTES) return text(400, "bad path: name too long");
  // Not Response.redirect(): its headers are immutable, and we need Cache-Control and CORS.
  return new Response(null, {
    status: 302,
    headers: {
      ...CORS,
      "Location": `${origin}/v${version}/${library}/${file}${rawQuery}`,
      "Cache-Control": `public, max-age=${browser}, s-maxage=${edge}`,
    },
  });
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
