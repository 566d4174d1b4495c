/* Users API docs: the "Try it" console of each operation. No dependencies, no innerHTML.
 *
 * The data (method, path, parameters, example body) is one JSON attribute per page
 * (#tryit-data). The console is built when a "Try it" block is first opened. Served by
 * `usersapi serve --demo`, ../demo-config.json gives the demo Authorization value; without it
 * the console still sends what the reader types (another origin must allow it through CORS).
 * Opened from file:// it stays a note: a page without an origin cannot call the server.
 */
(function () {
  "use strict";
  var SERVE_NOTE = "Start `usersapi serve --demo` to send requests from here";
  var data = null;
  var config = null;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function field(labelText, control, hint) {
    var label = el("label", "tryit-field");
    label.appendChild(el("span", "tryit-name", labelText));
    if (hint) label.appendChild(el("span", "tryit-hint", hint));
    label.appendChild(control);
    return label;
  }

  /* A <pre> that may scroll: keyboard users reach it with Tab and scroll it with the arrows. */
  function codeBlock(className, label, text) {
    var node = el("pre", className, text);
    node.tabIndex = 0;
    node.setAttribute("role", "group");
    node.setAttribute("aria-label", label);
    return node;
  }

  function input(name, value, placeholder) {
    var node = el("input");
    node.type = "text";
    node.name = name;
    node.value = value || "";
    node.spellcheck = false;
    node.autocomplete = "off";
    if (placeholder) node.placeholder = placeholder;
    return node;
  }

  /* The demo credentials of this API, fetched once per page; null when not served with --demo. */
  function demoConfig() {
    if (!config) {
      var url = new URL("../demo-config.json", window.location.href);
      config = window.fetch(url.href, { credentials: "same-origin", cache: "no-store" })
        .then(function (response) {
          if (!response.ok) throw new Error("HTTP " + response.status);
          return response.json();
        })
        .then(function (all) {
          var mine = all && typeof all === "object" ? all[data.api] : null;
          return mine && typeof mine === "object" ? mine : null;
        })
        .catch(function () { return null; });
    }
    return config;
  }

  function shellQuote(text) {
    return "'" + String(text).replace(/'/g, "'\\''") + "'";
  }

  function curlCommand(method, url, headers, body) {
    var lines = ["curl -X " + method + " " + shellQuote(url)];
    for (var i = 0; i < headers.length; i++) lines.push("  -H " + shellQuote(headers[i][0] + ": " + headers[i][1]));
    if (body) lines.push("  --data-raw " + shellQuote(body));
    return lines.join(" \\\n");
  }

  function pretty(text) {
    try { return JSON.stringify(JSON.parse(text), null, 2); } catch (e) { return text; }
  }

  function absoluteBase(base) {
    var text = base.trim().replace(/\/+$/, "");
    if (/^https?:\/\//i.test(text)) return text;
    return window.location.origin + (text && text.charAt(0) !== "/" ? "/" : "") + text;
  }

  /* Reads the form into {url, headers, body}; throws an Error naming what is missing. */
  function buildRequest(op, form) {
    var path = op.p;
    var query = new URLSearchParams();
    var headers = [["Accept", "application/json"]];
    for (var a = 0; a < form.auth.length; a++) {
      var value = form.auth[a][1].value.trim();
      if (value) headers.push([form.auth[a][0], value]);
    }
    for (var i = 0; i < op.params.length; i++) {
      var param = op.params[i];
      var text = form.params[i].value;
      if (param[1] === "path") {
        if (!text) throw new Error("Fill in the path parameter " + param[0]);
        path = path.split("{" + param[0] + "}").join(encodeURIComponent(text));
      } else if (text === "") {
        if (param[2]) throw new Error("Fill in the required parameter " + param[0]);
      } else if (param[1] === "query") {
        query.append(param[0], text);
      } else {
        headers.push([param[0], text]);
      }
    }
    var body = form.body ? form.body.value : "";
    if (body.trim() && op.ct) headers.push(["Content-Type", op.ct]);
    var search = query.toString();
    return {
      url: absoluteBase(form.base.value) + path + (search ? "?" + search : ""),
      headers: headers,
      body: body.trim() ? body : null
    };
  }

  function showResult(out, result) {
    out.textContent = "";
    var line = el("p", "tryit-status");
    var code = el("span", "status", result.status);
    line.appendChild(code);
    line.appendChild(document.createTextNode(" " + result.statusText + " · " + result.ms + " ms"));
    out.classList.toggle("ok", result.status >= 200 && result.status < 300);
    out.classList.toggle("fail", !(result.status >= 200 && result.status < 300));
    out.appendChild(line);
    var headers = el("details", "tryit-headers");
    headers.appendChild(el("summary", null, "Response headers (" + result.headers.length + ")"));
    headers.appendChild(codeBlock(null, "Response headers", result.headers.join("\n")));
    out.appendChild(headers);
    out.appendChild(el("p", "h-small", "Body"));
    out.appendChild(codeBlock("tryit-body", "Response body", result.body || "(empty)"));
  }

  function send(op, form, out, curl, button) {
    var request;
    try {
      request = buildRequest(op, form);
    } catch (error) {
      out.textContent = "";
      out.appendChild(el("p", "tryit-error", error.message));
      return;
    }
    var init = { method: op.m, headers: {}, credentials: "omit", cache: "no-store" };
    for (var i = 0; i < request.headers.length; i++) init.headers[request.headers[i][0]] = request.headers[i][1];
    if (request.body !== null) init.body = request.body;
    curl.textContent = curlCommand(op.m, request.url, request.headers, request.body);
    curl.parentNode.hidden = false;
    button.disabled = true;
    out.textContent = "";
    out.appendChild(el("p", "muted", "Sending…"));
    var started = window.performance.now();
    window.fetch(request.url, init)
      .then(function (response) {
        return response.text().then(function (text) {
          var headers = [];
          response.headers.forEach(function (value, name) { headers.push(name + ": " + value); });
          showResult(out, {
            status: response.status,
            statusText: response.statusText,
            ms: Math.round(window.performance.now() - started),
            headers: headers,
            body: pretty(text)
          });
        });
      })
      .catch(function (error) {
        out.textContent = "";
        out.appendChild(el("p", "tryit-error", "The request failed (" + error.message +
          "). Is the server running? Another origin must allow this page through CORS."));
      })
      .then(function () { button.disabled = false; });
  }

  /* "Or generate a client from <the contract's YAML>": the file the page documents. */
  function contractNote() {
    var holder = document.getElementById("tryit-data");
    var file = holder && holder.getAttribute("data-contract");
    if (!file) return null;
    var line = el("p", "tryit-contract muted", "To call it from code, generate a client from the contract: ");
    var link = el("a", null, file);
    link.href = file;
    link.setAttribute("download", "");
    line.appendChild(link);
    return line;
  }

  function build(details, op) {
    var note = el("p", "tryit-note muted", "Sends a real request from your browser.");
    details.appendChild(note);
    var contract = contractNote();
    if (contract) details.appendChild(contract);
    if (window.location.protocol !== "http:" && window.location.protocol !== "https:") {
      note.textContent = SERVE_NOTE + " (open the docs at http://127.0.0.1:8080/docs/).";
      return;
    }
    var form = el("form", "tryit-form");
    form.noValidate = true;
    var parts = { base: input("base", data.base, "same origin"), auth: [], params: [], body: null };
    form.appendChild(field("Base URL", parts.base, "this server when empty or a path"));
    for (var a = 0; a < op.auth.length; a++) {
      var auth = input(op.auth[a], "", "value of the " + op.auth[a] + " header");
      auth.classList.add("tryit-auth");
      parts.auth.push([op.auth[a], auth]);
      form.appendChild(field(op.auth[a], auth, "header"));
    }
    for (var i = 0; i < op.params.length; i++) {
      var param = op.params[i];
      // Required parameters start with their example; optional ones only show it, so an
      // example page token or offset is not sent unless the reader asks for it.
      var control = input(param[0], param[2] ? param[3] : "", param[3] ? "e.g. " + param[3] : "");
      control.setAttribute("data-in", param[1]);
      parts.params.push(control);
      form.appendChild(field(param[0], control, param[1] + (param[2] ? ", required" : "")));
    }
    if (typeof op.body === "string") {
      parts.body = el("textarea", "tryit-body-input");
      parts.body.name = "body";
      parts.body.spellcheck = false;
      parts.body.value = op.body ? pretty(op.body) : "";
      parts.body.rows = Math.min(16, Math.max(4, parts.body.value.split("\n").length + 1));
      form.appendChild(field("Request body", parts.body, op.ct));
    }
    var button = el("button", "tryit-send", "Send");
    button.type = "submit";
    form.appendChild(button);
    details.appendChild(form);
    var curlBox = el("div", "tryit-curl");
    curlBox.hidden = true;
    curlBox.appendChild(el("p", "h-small", "The same request with curl"));
    var curl = codeBlock(null, "The same request with curl");
    curlBox.appendChild(curl);
    var out = el("div", "tryit-out");
    out.setAttribute("aria-live", "polite");
    details.appendChild(out);
    details.appendChild(curlBox);
    form.addEventListener("submit", function (event) {
      event.preventDefault();  // the CSP forbids form navigation; fetch() sends instead
      send(op, parts, out, curl, button);
    });
    demoConfig().then(function (demo) {
      for (var k = 0; k < parts.auth.length; k++) {
        var value = demo && typeof demo[parts.auth[k][0]] === "string" ? demo[parts.auth[k][0]] : "";
        if (value && !parts.auth[k][1].value) parts.auth[k][1].value = value;
      }
      note.textContent = demo
        ? "Sends a real request to the demo server; the Authorization value is the demo administrator's."
        : SERVE_NOTE + ", or type a base URL and the header values (another origin must allow CORS).";
      details.classList.add(demo ? "tryit-demo" : "tryit-manual");
    });
  }

  function setup() {
    var holder = document.getElementById("tryit-data");
    if (!holder) return;
    try { data = JSON.parse(holder.getAttribute("data-tryit") || "null"); } catch (e) { data = null; }
    if (!data || !data.ops) return;
    var blocks = document.querySelectorAll("details.tryit[data-op]");
    for (var i = 0; i < blocks.length; i++) {
      (function (details) {
        var op = Object.prototype.hasOwnProperty.call(data.ops, details.getAttribute("data-op"))
          ? data.ops[details.getAttribute("data-op")] : null;
        if (!op) return;
        details.hidden = false;
        details.addEventListener("toggle", function () {
          if (details.open && !details.getAttribute("data-built")) {
            details.setAttribute("data-built", "1");
            build(details, op);
          }
        });
      })(blocks[i]);
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
