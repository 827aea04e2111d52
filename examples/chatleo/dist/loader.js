// chatleo loader: injects the widget script next to itself.
(function () {
  var here = document.currentScript && document.currentScript.src;
  var s = document.createElement("script");
  s.type = "module";
  s.src = here ? new URL("./esm/widget.mjs", here).href : "./esm/widget.mjs";
  document.head.appendChild(s);
})();
