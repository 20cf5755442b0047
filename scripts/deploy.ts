// `npm run deploy [-- --dry-run] [-- --no-web]`: provision what is missing on the Cloudflare
// account wrangler is logged into (D1, KV, R2, queues, notification rule, secrets), apply remote
// migrations, deploy the Worker and the Pages site, print the URLs. Idempotent: every resource
// is listed before it is created. --dry-run prints every command and touches nothing.
// Steps and the equivalent manual commands: docs/deploy.md.
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { createInterface } from "node:readline/promises";
import { parseCommandLine } from "./lib/cli.ts";
import { deploy } from "./lib/deploy-plan.ts";
import { ROOT, run, WRANGLER, wranglerEnv } from "./lib/processes.ts";

const values = parseCommandLine("deploy", "usage: npm run deploy -- [--dry-run] [--no-web]   (see docs/deploy.md)", {
  "dry-run": { type: "boolean", default: false },
  "no-web": { type: "boolean", default: false },
});
const dryRun = values["dry-run"];

const quote = (a: string) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replaceAll("'", "'\\''")}'`);

/** Prints, then (unless --dry-run) runs `wrangler ...args`; a secret's value goes on stdin only. */
async function exec(args: string[], { cwd = ROOT, input = "", secret = false } = {}): Promise<string> {
  const where = cwd !== ROOT ? `(cd ${relative(ROOT, cwd)} && ` : "";
  const stdin = secret ? "  # value on stdin: from the environment or a prompt, never printed" : "";
  console.log(`   $ ${where}wrangler ${args.map(quote).join(" ")}${where ? ")" : ""}${stdin}`);
  if (dryRun) return "";
  try {
    const { stdout } = await run(WRANGLER, args, { cwd, input, env: wranglerEnv({ CI: "true" }) });
    if (stdout.trim() && !secret) console.log(stdout.trim().replace(/^/gm, "     "));
    return stdout;
  } catch (error) {
    // Listing a Worker's secrets before its first deploy fails; anything else stops the deploy.
    if (args[0] === "secret" && args[1] === "list") return "[]";
    const login = `wrangler is not logged in. Run \`npm run wrangler -- login\`, or set CLOUDFLARE_API_TOKEN (and CLOUDFLARE_ACCOUNT_ID if the token sees several accounts).`;
    console.error(`deploy: ${args[0] === "whoami" ? login : (error as Error).message}`);
    process.exit(1);
  }
}

async function ask(question: string, { hidden = false } = {}): Promise<string> {
  if (dryRun) return "<prompted>";
  if (!process.stdin.isTTY) {
    const name = question.includes("Email") ? "ADMIN_EMAIL" : "ADMIN_PASSWORD";
    console.error(`deploy: no terminal to ask "${question.trim()}"; set ${name} in the environment.`);
    process.exit(1);
  }
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  if (hidden) {
    // Echo nothing while the password is typed.
    (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = (s) => {
      if (s.startsWith(question)) process.stdout.write(question);
    };
  }
  const answer = await rl.question(question);
  rl.close();
  if (hidden) process.stdout.write("\n");
  if (!answer.trim()) return ask(question, { hidden });
  return answer.trim();
}

if (dryRun) console.log("Dry run: printing the commands `npm run deploy` runs; nothing is contacted or changed.\n");
const result = await deploy({
  root: ROOT,
  exec,
  ask,
  async writeConfig(path, text) {
    if (dryRun)
      return console.log(`   (would write ${relative(ROOT, path)} from wrangler.toml with the ids found above)`);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, text);
    console.log(`   wrote ${relative(ROOT, path)}`);
  },
  async buildWeb() {
    console.log("   $ vite build web");
    if (!dryRun) await run(join(ROOT, "node_modules", ".bin", "vite"), ["build", "web", "--logLevel", "warn"]);
  },
  web: !values["no-web"],
  log: (message) => console.log(`\n${message}`),
});
console.log(`
${dryRun ? "Would deploy" : "Deployed"}:
  API    ${result.apiUrl}
  Docs   ${result.docsUrl}
  Web    ${result.webUrl ?? "(skipped: --no-web)"}
Sign in with the ADMIN_EMAIL / ADMIN_PASSWORD secrets. Upload data: docs/operations.md.`);
