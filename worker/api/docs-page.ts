// The /docs page: self-contained (no CDN, works offline). It reads /openapi.json and renders a
// form per operation; everything from the API is inserted as text, never as HTML.
const SCRIPT = `
const $ = (tag, props = {}, ...kids) => { const el = Object.assign(document.createElement(tag), props); el.append(...kids); return el; };
const tokenInput = document.getElementById("token");
tokenInput.value = sessionStorage.getItem("token") || "";
tokenInput.onchange = () => sessionStorage.setItem("token", tokenInput.value.trim());
document.getElementById("login").onsubmit = async (e) => {
  e.preventDefault();
  const f = new FormData(e.target);
  const res = await fetch("/api/v1/auth/token", { method: "POST", headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ email: f.get("email"), password: f.get("password") }) });
  const body = await res.json();
  document.getElementById("login-out").textContent = res.ok ? "signed in" : body.detail;
  if (res.ok) { tokenInput.value = body.access_token; tokenInput.onchange(); }
};
function operation(path, method, op) {
  const inputs = [];
  const fields = $("div");
  for (const p of op.parameters || []) {
    const input = $("input", { name: p.name, placeholder: p.schema?.example ?? p.example ?? "" });
    inputs.push([p, input]);
    fields.append($("label", {}, p.name + " (" + p.in + (p.required ? ", required" : "") + ") ", input));
  }
  const media = Object.keys(op.requestBody?.content || {})[0];
  const body = media ? $("textarea", { rows: 4, placeholder: media }) : null;
  if (body) fields.append($("label", {}, "body (" + media + ")", body));
  const out = $("pre");
  const send = $("button", { textContent: "Send" });
  send.onclick = async () => {
    let url = path;
    const query = new URLSearchParams();
    for (const [p, input] of inputs) {
      if (!input.value) continue;
      if (p.in === "path") url = url.replace("{" + p.name + "}", encodeURIComponent(input.value));
      else if (p.in === "query") query.set(p.name, input.value);
    }
    if ([...query].length) url += "?" + query;
    const headers = {};
    if (tokenInput.value) headers.Authorization = "Bearer " + tokenInput.value.trim();
    if (body) headers["Content-Type"] = media;
    const res = await fetch(url, { method: method.toUpperCase(), headers, body: body ? body.value : undefined });
    const shown = ["etag", "x-cache", "retry-after", "location"].filter((h) => res.headers.has(h)).map((h) => h + ": " + res.headers.get(h));
    out.textContent = res.status + " " + method.toUpperCase() + " " + url + "\\n" + shown.join("\\n") + "\\n\\n" + (await res.text());
  };
  return $("details", {}, $("summary", {}, $("b", { textContent: method.toUpperCase() + " " }), path + " - " + (op.summary || "")),
    $("p", { textContent: op.description || "" }), fields, send, out);
}
fetch("/openapi.json").then((r) => r.json()).then((doc) => {
  const list = document.getElementById("ops");
  for (const [path, item] of Object.entries(doc.paths)) for (const [method, op] of Object.entries(item)) list.append(operation(path, method, op));
});
`;

/** The HTML of GET /docs. */
export const DOCS_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>egrid-edge API</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:15px/1.4 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}
details{border:1px solid #ccc;border-radius:4px;margin:.4rem 0;padding:.4rem .6rem}
label{display:block;margin:.3rem 0}input,textarea{width:100%;box-sizing:border-box;font:inherit}
pre{background:#f4f4f4;padding:.5rem;overflow:auto;max-height:24rem;white-space:pre-wrap}
</style></head><body>
<h1>egrid-edge API</h1>
<p>Try the API from this page. The machine-readable contract is <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1).</p>
<form id="login"><b>Sign in</b> <input name="email" placeholder="email" autocomplete="username">
<input name="password" type="password" placeholder="password" autocomplete="current-password">
<button>Get token</button> <span id="login-out"></span></form>
<label>Bearer token <input id="token" autocomplete="off"></label>
<div id="ops"></div>
<script>${SCRIPT}</script>
</body></html>`;
