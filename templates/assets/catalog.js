// Search and filters for the catalog index. The page lists every connector
// without this script; the script only hides cards that do not match and
// keeps the filter state in the URL so a view can be shared.
(function () {
  "use strict";
  var form = document.getElementById("filters");
  var cards = Array.prototype.slice.call(document.querySelectorAll(".card"));
  if (!form || !cards.length) return;
  // Search ignores letter case, accents and the typographic forms of
  // quotes and dashes, on both sides: "cafe" finds "Café", and "world's"
  // finds "world’s".
  function fold(s) {
    return s.normalize("NFKD").replace(/[\u0300-\u036f]/g, "")
      .replace(/[\u2018\u2019\u201a\u201b\u2032]/g, "'")
      .replace(/[\u201c\u201d\u201e\u2033]/g, '"')
      .replace(/[\u2010-\u2015\u2212]/g, "-")
      .toLowerCase();
  }
  var texts = {};
  (window.CATALOG_INDEX || []).forEach(function (d) { texts[d.name] = fold(d.text); });
  var controls = {
    q: document.getElementById("search"),
    category: document.getElementById("filter-category"),
    auth: document.getElementById("filter-auth"),
    triggers: document.getElementById("filter-triggers"),
    installed: document.getElementById("filter-installed"),
    update: document.getElementById("filter-update")
  };
  var count = document.getElementById("result-count");
  var empty = document.getElementById("no-results");

  function readUrl() {
    var p = new URLSearchParams(window.location.search);
    Object.keys(controls).forEach(function (k) {
      var c = controls[k];
      if (!c) return;
      if (c.type === "checkbox") c.checked = p.get(k) === "1";
      else c.value = p.get(k) || "";
    });
  }

  function writeUrl() {
    var p = new URLSearchParams();
    Object.keys(controls).forEach(function (k) {
      var c = controls[k];
      if (!c) return;
      if (c.type === "checkbox") { if (c.checked) p.set(k, "1"); }
      else if (c.value) p.set(k, c.value);
    });
    var s = p.toString();
    window.history.replaceState(null, "", s ? "?" + s : window.location.pathname);
  }

  function matches(card, terms) {
    var d = card.dataset;
    var text = texts[d.name] || fold(card.textContent);
    for (var i = 0; i < terms.length; i++) if (text.indexOf(terms[i]) < 0) return false;
    if (controls.category && controls.category.value && d.category !== controls.category.value) return false;
    if (controls.auth && controls.auth.value && d.auth !== controls.auth.value) return false;
    if (controls.triggers && controls.triggers.checked && !(Number(d.triggers) > 0)) return false;
    if (controls.installed && controls.installed.value && d.installed !== controls.installed.value) return false;
    if (controls.update && controls.update.value && d.update !== controls.update.value) return false;
    return true;
  }

  function apply() {
    var terms = fold(controls.q.value).split(/\s+/).filter(Boolean);
    var shown = 0;
    cards.forEach(function (card) {
      var ok = matches(card, terms);
      card.hidden = !ok;
      if (ok) shown++;
    });
    count.textContent = shown === cards.length ? cards.length + " connectors" : shown + " of " + cards.length + " connectors";
    empty.hidden = shown !== 0;
    writeUrl();
  }

  form.hidden = false;
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  readUrl();
  apply();
})();
