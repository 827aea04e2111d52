// chatleo loader: injects the widget module next to itself. It resolves the module against its
// own URL as written in the page (document.currentScript.src, before redirects), so a page that
// loads /v1/chatleo/loader.js gets /v1/chatleo/esm/widget.mjs: the module follows the same alias.
(function () {
  var here = document.currentScript && document.currentScript.src;
  var s = document.createElement("script");
  s.type = "module";
  s.src = here ? new URL("./esm/widget.mjs", here).href : "./esm/widget.mjs";
  document.head.appendChild(s);
})();
