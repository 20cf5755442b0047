// `node scripts/bootstrap.mjs exec <cmd> [args…]`: run any command under the project's Node
// runtime (>= 22.12) with node_modules/.bin on PATH, e.g. `npm run x -- wrangler --version`.
import { spawn } from "node:child_process";

const [command, ...args] = process.argv.slice(2);
if (!command) {
  console.error("usage: node scripts/bootstrap.mjs exec <command> [args…]");
  process.exit(2);
}
const child = spawn(command, args, { stdio: "inherit", shell: process.platform === "win32" });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
