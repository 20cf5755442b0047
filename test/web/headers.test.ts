// web/public/_headers: the page's security headers, as Cloudflare Pages parses the file
// (https://developers.cloudflare.com/pages/configuration/headers/: a URL pattern line, then
// indented "Name: value" lines; "#" starts a comment).
import { describe, expect, it } from "vitest";
import headersFile from "../../web/public/_headers?raw";

function parseHeaders(text: string): Map<string, Map<string, string>> {
  const rules = new Map<string, Map<string, string>>();
  let current: Map<string, string> | null = null;
  for (const line of text.split("\n")) {
    if (!line.trim() || line.trim().startsWith("#")) continue;
    if (!/^\s/.test(line)) {
      current = new Map();
      rules.set(line.trim(), current);
      continue;
    }
    const colon = line.indexOf(":");
    if (!current || colon < 0) throw new Error(`_headers: "${line}" is neither a path nor "Name: value"`);
    current.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return rules;
}

function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp
      .split(";")
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...values]) => [name as string, values]),
  );
}

describe("web/public/_headers", () => {
  const all = parseHeaders(headersFile).get("/*");

  it("applies to every path", () => {
    expect(all).toBeDefined();
  });

  it("sends a CSP that allows only the page's own origin and no framing", () => {
    const csp = directives(all?.get("content-security-policy") ?? "");
    expect(csp.get("default-src")).toEqual(["'none'"]);
    for (const d of ["script-src", "style-src", "font-src", "connect-src"]) expect(csp.get(d)).toEqual(["'self'"]);
    // data: only for the empty favicon (<link rel="icon" href="data:,">) in web/index.html.
    expect(csp.get("img-src")).toEqual(["'self'", "data:"]);
    expect(csp.get("frame-ancestors")).toEqual(["'none'"]);
    expect(csp.get("base-uri")).toEqual(["'none'"]);
    const everything = [...csp.values()].flat();
    expect(everything).not.toContain("'unsafe-inline'");
    expect(everything).not.toContain("'unsafe-eval'");
    expect(everything).not.toContain("*");
  });

  it("sends nosniff and a referrer policy that never leaks paths cross-origin", () => {
    expect(all?.get("x-content-type-options")).toBe("nosniff");
    expect(["strict-origin-when-cross-origin", "no-referrer"]).toContain(all?.get("referrer-policy"));
  });
});
