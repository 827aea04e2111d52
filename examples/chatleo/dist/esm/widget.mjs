// The version this module was served as: the pinned prefix of its own URL, which is where the
// alias the loader asked for redirected (import.meta.url is the URL after redirects).
const pinned = new URL(import.meta.url).pathname.match(/\/v(\d+\.\d+\.\d+[^/]*)\//);
export const version = pinned ? pinned[1] : "unknown";

export function mount(el) {
  el.className = "chatleo";
  el.dataset.version = version;
  el.textContent = "chatleo " + version + " says hello";
}

mount(
  document.querySelector("chatleo-widget") ||
    document.body.appendChild(document.createElement("chatleo-widget")),
);
