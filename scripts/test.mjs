import { spawnSync } from "node:child_process";

const r = spawnSync("vitest", ["run", ...process.argv.slice(2)], { stdio: "inherit" });
process.exit(r.status ?? 1);
