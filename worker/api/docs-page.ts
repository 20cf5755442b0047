// The /docs page: Swagger UI (swagger-ui-dist) reading /openapi.json, with every script and style
// served by this Worker under /docs/assets/, so it works offline and loads nothing from a CDN.

import swaggerUiCss from "swagger-ui-dist/swagger-ui.css";
import swaggerUiBundle from "swagger-ui-dist/swagger-ui-bundle.js";

/** Starts Swagger UI; the sign-in form puts the token where "Try it out" sends it (Bearer). */
const INIT_JS = `"use strict";
const ui = SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  persistAuthorization: true,
  tryItOutEnabled: true,
  displayRequestDuration: true,
  presets: [SwaggerUIBundle.presets.apis],
  layout: "BaseLayout",
});
const form = document.getElementById("sign-in");
const status = document.getElementById("sign-in-status");
form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const fields = new FormData(form);
  status.textContent = "Signing in…";
  try {
    const res = await fetch("/api/v1/auth/token", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ email: fields.get("email"), password: fields.get("password") }),
    });
    const body = await res.json();
    if (!res.ok) {
      status.textContent = body.detail || "Sign-in failed (" + res.status + ")";
      return;
    }
    ui.preauthorizeApiKey("Bearer", body.access_token);
    form.reset();
    status.textContent = "Signed in: Try it out now sends your token (valid " + Math.round(body.expires_in / 60) + " min).";
  } catch (error) {
    status.textContent = "Could not reach the API: " + error;
  }
});
`;

const CSS = `body{margin:0;font:15px/1.4 system-ui,sans-serif}
#sign-in{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:end;max-width:1460px;margin:1rem auto 0;padding:0 20px;box-sizing:border-box}
#sign-in label{display:flex;flex-direction:column;font-weight:600}
#sign-in input{font:inherit;padding:.3rem}
#sign-in-status{flex-basis:100%;min-height:1.4em}`;

/** Files under /docs/assets/: name -> body and media type. */
export const DOCS_ASSETS: Record<string, { body: string; type: string }> = {
  "swagger-ui-bundle.js": { body: swaggerUiBundle, type: "text/javascript; charset=utf-8" },
  "swagger-ui.css": { body: swaggerUiCss, type: "text/css; charset=utf-8" },
  "docs.js": { body: INIT_JS, type: "text/javascript; charset=utf-8" },
  "docs.css": { body: CSS, type: "text/css; charset=utf-8" },
};

/** The HTML of GET /docs. */
export const DOCS_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>egrid-edge API reference</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/docs/assets/swagger-ui.css">
<link rel="stylesheet" href="/docs/assets/docs.css">
</head><body>
<form id="sign-in" aria-label="Sign in to try the API">
<label for="sign-in-email">Email <input id="sign-in-email" name="email" type="email" autocomplete="username" required></label>
<label for="sign-in-password">Password <input id="sign-in-password" name="password" type="password" autocomplete="current-password" required></label>
<button type="submit">Sign in</button>
<p id="sign-in-status" role="status"></p>
</form>
<main id="swagger-ui"></main>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/assets/docs.js"></script>
</body></html>`;
