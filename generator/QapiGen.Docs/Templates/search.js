// Search over every name of the schema, from the index in search-index.js (a plain script, so it
// works from file:// with no server and no network). ?q=NAME on any page runs a search on load.
(function () {
  "use strict";
  var index = window.QAPI_INDEX || [];
  var input = document.getElementById("q");
  var list = document.getElementById("results");
  if (!input || !list) return;
  function rank(name, q) {
    var n = name.toLowerCase();
    if (n === q) return 0;
    if (n.indexOf(q) === 0) return 1;
    var i = n.indexOf(q);
    return i < 0 ? -1 : 2 + i;
  }
  function show(query) {
    var q = query.trim().toLowerCase();
    list.textContent = "";
    if (!q) { list.hidden = true; return; }
    var hits = [];
    for (var i = 0; i < index.length; i++) {
      var r = rank(index[i][0], q);
      if (r >= 0) hits.push([r, index[i]]);
    }
    hits.sort(function (a, b) { return a[0] - b[0] || (a[1][0] < b[1][0] ? -1 : a[1][0] > b[1][0] ? 1 : 0); });
    hits = hits.slice(0, 50);
    for (var j = 0; j < hits.length; j++) {
      var e = hits[j][1];
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = e[2];
      a.textContent = e[0];
      var kind = document.createElement("span");
      kind.className = "kind";
      kind.textContent = e[1];
      a.appendChild(kind);
      li.appendChild(a);
      list.appendChild(li);
    }
    if (!hits.length) {
      var none = document.createElement("li");
      none.textContent = "No match";
      list.appendChild(none);
    }
    list.hidden = false;
  }
  input.addEventListener("input", function () { show(input.value); });
  input.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") { var first = list.querySelector("a"); if (first) location.href = first.href; }
    if (ev.key === "Escape") { input.value = ""; show(""); }
  });
  var m = /[?&]q=([^&]*)/.exec(location.search);
  if (m) { input.value = decodeURIComponent(m[1].replace(/\+/g, " ")); show(input.value); }
})();
