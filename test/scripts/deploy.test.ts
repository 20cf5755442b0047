import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { DEPLOY_CONFIG, deploy, deployConfigToml, projectNames } from "../../scripts/lib/deploy-plan.ts";
import { run, WRANGLER } from "../../scripts/lib/processes.ts";

const root = resolve(import.meta.dirname, "../..");
const cfg = ["-c", DEPLOY_CONFIG];

describe("npm run deploy -- --dry-run", () => {
  it("prints the whole provisioning plan in order and changes nothing", async () => {
    const configExisted = existsSync(join(root, DEPLOY_CONFIG));
    const marker = "do-not-print-this-password";
    const { stdout } = await promisify(execFile)(process.execPath, ["scripts/deploy.ts", "--dry-run"], {
      cwd: root,
      env: { ...process.env, ADMIN_PASSWORD: marker, CLOUDFLARE_API_TOKEN: "" },
    });
    const commands = stdout
      .split("\n")
      .filter((l) => l.trimStart().startsWith("$ "))
      .map((l) =>
        l
          .trim()
          .slice(2)
          .replace(/\s+#.*$/, ""),
      );
    const c = DEPLOY_CONFIG;
    expect(commands).toEqual([
      "wrangler whoami",
      "wrangler d1 list --json",
      "wrangler d1 create egrid-edge",
      "wrangler d1 list --json",
      "wrangler kv namespace list",
      "wrangler kv namespace create egrid-edge-cache",
      "wrangler kv namespace list",
      "wrangler r2 bucket list",
      "wrangler r2 bucket create egrid-uploads",
      "wrangler queues list",
      "wrangler queues create egrid-ingest",
      "wrangler queues create egrid-ingest-dlq",
      `wrangler d1 migrations apply DB --remote -c ${c}`,
      `wrangler deploy -c ${c}`,
      `wrangler secret list --format json -c ${c}`,
      `wrangler secret put JWT_SIGNING_KEYS -c ${c}`,
      `wrangler secret put ADMIN_EMAIL -c ${c}`,
      `wrangler secret put ADMIN_PASSWORD -c ${c}`,
      "wrangler r2 bucket notification list egrid-uploads",
      "wrangler r2 bucket notification create egrid-uploads --event-types object-create object-delete --suffix .csv --queue egrid-ingest --description 'egrid-edge ingest (.csv create and delete)'",
      "vite build web",
      "wrangler pages project list --json",
      "wrangler pages project create egrid-edge-web --production-branch main",
      "(cd web && wrangler pages deploy dist --project-name egrid-edge-web --branch main --commit-dirty=true)",
    ]);
    expect(stdout).not.toContain(marker);
    expect(stdout).toMatch(/Web +https:\/\/egrid-edge-web\.pages\.dev/);
    expect(existsSync(join(root, DEPLOY_CONFIG))).toBe(configExisted);
  });
});

describe("deploy on an account that already has everything", () => {
  it("creates nothing, sets only missing secrets, and writes the real ids into the config", async () => {
    const calls: { args: string[]; input?: string }[] = [];
    const listings: Record<string, string> = {
      "d1 list": '[{"uuid":"d1-real-id","name":"egrid-edge"},{"uuid":"other","name":"x"}]',
      "kv namespace list": '▲ [WARNING] a deprecation [notice]\n[{"id":"kv-real-id","title":"egrid-edge-cache"}]',
      "r2 bucket list": "name:           egrid-uploads\ncreation_date:  2026-11-01",
      "queues list": "│ id │ name │\n│ q1 │ egrid-ingest │\n│ q2 │ egrid-ingest-dlq │",
      "secret list": '[{"name":"JWT_SIGNING_KEYS","type":"secret_text"},{"name":"ADMIN_EMAIL","type":"secret_text"}]',
      "r2 bucket":
        "rule_id │ queue_name   │ prefix │ suffix │ event_type\nr1 │ egrid-ingest │ (all prefixes) │ .csv │ PutObject",
      "deploy -c": "Uploaded egrid-edge\n  https://egrid-edge.acme.workers.dev\n",
      "pages project": '[{"Project Name":"egrid-edge-web"}]',
      "pages deploy": "✨ Deployment complete! https://abc123.egrid-edge-web.pages.dev",
    };
    const written: Record<string, string> = {};
    const result = await deploy({
      root,
      exec: async (args, options = {}) => {
        calls.push({ args, input: options.input });
        const line = args.join(" ");
        const key = Object.keys(listings).find((k) => line.startsWith(k));
        return key ? (listings[key] as string) : "";
      },
      ask: async () => {
        throw new Error("must not prompt: ADMIN_PASSWORD is in the environment");
      },
      writeConfig: async (path, text) => {
        written[path] = text;
      },
      buildWeb: async () => {},
      log: () => {},
      env: { ADMIN_PASSWORD: "from-env-password" },
    });
    const lines = calls.map((c) => c.args.join(" "));
    expect(lines.filter((l) => / create /.test(` ${l} `))).toEqual([]);
    expect(calls.filter((c) => c.args[0] === "secret" && c.args[1] === "put")).toEqual([
      { args: ["secret", "put", "ADMIN_PASSWORD", ...cfg], input: "from-env-password" },
    ]);
    expect(lines).toContain(`d1 migrations apply DB --remote ${cfg.join(" ")}`);
    expect(lines).toContain(`deploy ${cfg.join(" ")}`);
    expect(result.apiUrl).toBe("https://egrid-edge.acme.workers.dev");
    expect(result.webUrl).toBe("https://egrid-edge-web.pages.dev");
    const config = written[join(root, DEPLOY_CONFIG)] as string;
    expect(config).toMatch(/database_id = "d1-real-id"/);
    expect(config).toMatch(/\[\[kv_namespaces\]\]\s*binding = "CACHE"\s*id = "kv-real-id"/);
  });
});

describe("deployConfigToml", () => {
  it("gives wrangler a valid config with the real ids and rebased paths", async () => {
    const toml = await readFile(join(root, "wrangler.toml"), "utf8");
    const generated = deployConfigToml(toml, {
      d1Id: "11111111-2222-3333-4444-555555555555",
      kvId: "abcdefabcdefabcdefabcdefabcdef12",
      webOrigin: "https://egrid-edge-web.pages.dev",
    });
    expect(generated).toMatch(/^main = "\.\.\/\.\.\/worker\/index\.ts"$/m);
    expect(generated).toMatch(/migrations_dir = "\.\.\/\.\.\/migrations"/);
    expect(generated).toMatch(/WEB_ORIGINS = "https:\/\/egrid-edge-web\.pages\.dev"/);
    expect(generated).not.toMatch(/00000000/);
    // Same depth as .wrangler/deploy/, so the rebased paths resolve; wrangler bundles it.
    const dir = join(root, ".wrangler", `deploy-test-${process.pid}`);
    const out = await mkdtemp(join(tmpdir(), "egrid-deploy-out-"));
    try {
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, "wrangler.toml"), generated);
      const { stdout } = await run(WRANGLER, [
        "deploy",
        "--dry-run",
        "--outdir",
        out,
        "-c",
        join(dir, "wrangler.toml"),
      ]);
      expect(stdout).toContain("env.CACHE (abcdefabcdefabcdefabcdefabcdef12)");
      expect(stdout).toMatch(/--dry-run: exiting now/);
    } finally {
      await rm(dir, { recursive: true, force: true });
      await rm(out, { recursive: true, force: true });
    }
  });

  it("takes every resource name from the wrangler configs", () => {
    expect(projectNames(root)).toEqual({
      worker: "egrid-edge",
      d1: "egrid-edge",
      kv: "egrid-edge-cache",
      bucket: "egrid-uploads",
      queue: "egrid-ingest",
      dlq: "egrid-ingest-dlq",
      consumers: ["egrid-ingest", "egrid-ingest-dlq"],
      pages: "egrid-edge-web",
    });
  });
});
