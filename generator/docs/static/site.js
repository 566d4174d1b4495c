/* Users API docs: theme, search, code-sample tabs, small-screen menu. No dependencies. */
(function () {
  "use strict";
  var root = document.documentElement;
  var THEME_KEY = "usersapi-docs-theme";
  var stored = null;
  try { stored = window.localStorage.getItem(THEME_KEY); } catch (e) { stored = null; }
  if (stored === "dark" || stored === "light") root.setAttribute("data-theme", stored);
  root.classList.add("js");

  function systemDark() {
    return !!(window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches);
  }
  function currentTheme() {
    var chosen = root.getAttribute("data-theme");
    return chosen === "dark" || chosen === "light" ? chosen : (systemDark() ? "dark" : "light");
  }

  function setupTheme() {
    var button = document.getElementById("theme-toggle");
    if (!button) return;
    function show() {
      var dark = currentTheme() === "dark";
      button.setAttribute("aria-pressed", dark ? "true" : "false");
      button.textContent = dark ? "Light mode" : "Dark mode";
    }
    button.hidden = false;
    show();
    button.addEventListener("click", function () {
      var next = currentTheme() === "dark" ? "light" : "dark";
      root.setAttribute("data-theme", next);
      try { window.localStorage.setItem(THEME_KEY, next); } catch (e) { /* private mode */ }
      show();
    });
  }

  function setupMenu() {
    var button = document.getElementById("nav-toggle");
    var sidebar = document.getElementById("sidebar");
    if (!button || !sidebar) return;
    button.hidden = false;
    function close() {
      sidebar.classList.remove("open");
      button.setAttribute("aria-expanded", "false");
    }
    button.addEventListener("click", function () {
      var open = sidebar.classList.toggle("open");
      button.setAttribute("aria-expanded", open ? "true" : "false");
    });
    sidebar.addEventListener("click", function (event) {
      if (event.target.closest("a")) close();
    });
    // Escape closes the open menu from anywhere in it and gives the focus back to its button.
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape" || !sidebar.classList.contains("open")) return;
      close();
      button.focus();
    });
  }

  function setupTabs() {
    var groups = document.querySelectorAll(".samples");
    for (var g = 0; g < groups.length; g++) {
      (function (group) {
        var figures = group.querySelectorAll(".sample");
        if (figures.length < 2) return;
        var bar = document.createElement("div");
        bar.className = "tabs";
        bar.setAttribute("role", "tablist");
        bar.setAttribute("aria-label", "Code samples");
        var buttons = [];
        function select(index, focus) {
          for (var i = 0; i < figures.length; i++) {
            figures[i].classList.toggle("active", i === index);
            buttons[i].setAttribute("aria-selected", i === index ? "true" : "false");
            buttons[i].tabIndex = i === index ? 0 : -1;  // one Tab stop; arrows move between tabs
          }
          if (focus) buttons[index].focus();
        }
        bar.addEventListener("keydown", function (event) {
          var at = buttons.indexOf(document.activeElement);
          var step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[event.key];
          var to = event.key === "Home" ? 0 : event.key === "End" ? buttons.length - 1
            : step ? (at + step + buttons.length) % buttons.length : -1;
          if (at < 0 || to < 0) return;
          select(to, true);
          event.preventDefault();
        });
        for (var i = 0; i < figures.length; i++) {
          var button = document.createElement("button");
          var id = "sample-" + g + "-" + i;
          button.type = "button";
          button.id = id + "-tab";
          button.setAttribute("role", "tab");
          button.setAttribute("aria-controls", id);
          button.textContent = figures[i].getAttribute("data-label");
          button.addEventListener("click", select.bind(null, i, false));
          // The code block is the panel (a figure with a caption may not take that role).
          var panel = figures[i].querySelector("pre") || figures[i];
          panel.id = id;
          panel.setAttribute("role", "tabpanel");
          panel.removeAttribute("aria-label");
          panel.setAttribute("aria-labelledby", button.id);
          buttons.push(button);
          bar.appendChild(button);
        }
        group.insertBefore(bar, group.firstChild);
        group.classList.add("tabbed");
        select(0, false);
      })(groups[g]);
    }
  }

  function revealTarget() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var target = id && document.getElementById(id);
    for (var node = target; node; node = node.parentElement) {
      if (node.tagName === "DETAILS") node.open = true;
    }
    if (target) target.scrollIntoView();
  }

  function score(entry, terms) {
    var name = entry[1].toLowerCase();
    var text = (entry[1] + " " + entry[2]).toLowerCase();
    var total = 0;
    for (var i = 0; i < terms.length; i++) {
      var term = terms[i];
      if (name === term) total += 100;
      else if (name.indexOf(term) === 0) total += 40;
      else if (name.indexOf(term) >= 0) total += 20;
      else if (text.indexOf(term) >= 0) total += 5;
      else return 0;
    }
    return total + (entry[0] === "operation" ? 3 : entry[0] === "parameter" ? 2 : 0);
  }

  /* The search indexes (assets/search-<api>.js) are loaded on first use of the search box, not
   * with the page: script elements, not fetch(), so they load from file:// too. */
  function loadIndexes(base, files, done) {
    var pending = files.length;
    var failed = false;
    function settle(ok) {
      failed = failed || !ok;
      pending -= 1;
      if (pending === 0) done(!failed);
    }
    for (var i = 0; i < files.length; i++) {
      var script = document.createElement("script");
      script.src = base + "assets/" + files[i];
      script.async = true;
      script.addEventListener("load", settle.bind(null, true));
      script.addEventListener("error", settle.bind(null, false));
      document.head.appendChild(script);
    }
  }

  function setupSearch() {
    var box = document.querySelector(".search");
    var input = document.getElementById("search-input");
    var list = document.getElementById("search-results");
    var files = ((box && box.getAttribute("data-index")) || "").split(/\s+/).filter(Boolean);
    if (!box || !input || !list || !files.length) return;
    var base = root.getAttribute("data-root") || "";
    var indexes = null;  // null: not loaded yet; then window.USERSAPI_SEARCH
    var state = "idle";  // idle -> loading -> ready | failed
    var selected = -1;
    box.hidden = false;

    function load() {
      if (state !== "idle") return;
      state = "loading";
      box.setAttribute("aria-busy", "true");
      loadIndexes(base, files, function (ok) {
        state = ok ? "ready" : "failed";
        indexes = window.USERSAPI_SEARCH || [];
        box.removeAttribute("aria-busy");
        if (input.value) run();
      });
    }

    function notice(text) {
      var item = document.createElement("li");
      item.className = "empty";
      item.textContent = text;
      list.appendChild(item);
      list.hidden = false;
    }

    function links() { return list.querySelectorAll("a"); }
    function mark(index) {
      var all = links();
      selected = Math.max(-1, Math.min(index, all.length - 1));
      for (var i = 0; i < all.length; i++) all[i].setAttribute("aria-selected", i === selected ? "true" : "false");
      if (selected >= 0) all[selected].scrollIntoView({ block: "nearest" });
    }
    function close() { list.hidden = true; selected = -1; }

    function run() {
      var terms = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      list.textContent = "";
      selected = -1;
      if (!terms.length) { close(); return; }
      if (state === "idle" || state === "loading") { load(); notice("Loading the search index…"); return; }
      if (state === "failed" && !indexes.length) { notice("The search index could not be loaded."); return; }
      var hits = [];
      for (var a = 0; a < indexes.length; a++) {
        var entries = indexes[a].entries;
        for (var e = 0; e < entries.length; e++) {
          var value = score(entries[e], terms);
          if (value > 0) hits.push([value, indexes[a], entries[e]]);
        }
      }
      hits.sort(function (x, y) { return y[0] - x[0] || x[2][1].localeCompare(y[2][1]); });
      hits = hits.slice(0, 40);
      if (!hits.length) notice("No match");
      for (var h = 0; h < hits.length; h++) {
        var entry = hits[h][2];
        var item = document.createElement("li");
        var link = document.createElement("a");
        var url = new URL(base + entry[3], window.location.href);
        link.href = url.pathname === window.location.pathname ? url.hash : url.href;
        var kind = document.createElement("span");
        kind.className = "kind";
        kind.textContent = entry[0];
        var name = document.createElement("span");
        name.className = "name";
        name.textContent = entry[1];
        var detail = document.createElement("span");
        detail.className = "detail";
        detail.textContent = (indexes.length > 1 ? hits[h][1].title + " · " : "") + entry[2];
        link.appendChild(kind);
        link.appendChild(name);
        link.appendChild(detail);
        item.appendChild(link);
        list.appendChild(item);
      }
      list.hidden = false;
    }

    input.addEventListener("input", run);
    input.addEventListener("focus", function () { load(); if (input.value) run(); });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") { mark(selected + 1); event.preventDefault(); }
      else if (event.key === "ArrowUp") { mark(selected - 1); event.preventDefault(); }
      else if (event.key === "Enter") {
        var all = links();
        var chosen = all[selected >= 0 ? selected : 0];
        if (chosen) { chosen.click(); event.preventDefault(); }
      } else if (event.key === "Escape") { close(); }  // the focus stays in the box
    });
    list.addEventListener("click", function (event) {
      if (event.target.closest("a")) close();
    });
    document.addEventListener("click", function (event) {
      if (!box.contains(event.target)) close();
    });
    document.addEventListener("keydown", function (event) {
      var typing = /^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement.tagName);
      if (event.key === "/" && !typing) { input.focus(); event.preventDefault(); }
    });
  }

  function setupPrint() {
    var closed = [];
    window.addEventListener("beforeprint", function () {
      closed = Array.prototype.filter.call(document.querySelectorAll("details"), function (d) { return !d.open; });
      closed.forEach(function (d) { d.open = true; });
    });
    window.addEventListener("afterprint", function () {
      closed.forEach(function (d) { d.open = false; });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setupTheme();
    setupMenu();
    setupTabs();
    setupSearch();
    setupPrint();
    window.addEventListener("hashchange", revealTarget);
    if (window.location.hash) revealTarget();
  });
})();
