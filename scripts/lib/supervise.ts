// `node supervise.ts <command> [args…]`: runs one command in this process group (which the
// stack makes a new one) and ends the group when the process that started us goes away — even
// by SIGKILL, when no exit hook of ours can run — so a local stack never outlives its owner.
import { spawn } from "node:child_process";

const [command = "true", ...args] = process.argv.slice(2);
const parentPid = process.ppid;
const child = spawn(command, args, { stdio: "inherit" });
let ending = false;
const killGroup = () => {
  try {
    process.kill(-process.pid, "SIGKILL");
  } catch {} // group already gone
};

function end(signal: NodeJS.Signals) {
  if (ending) return;
  ending = true;
  child.kill(signal);
  // wrangler stops workerd on SIGTERM; anything still alive after 5 s is stuck.
  setTimeout(killGroup, 5000).unref();
}

for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"] as const) process.on(signal, () => end(signal));
setInterval(() => process.ppid !== parentPid && end("SIGTERM"), 500).unref();
child.on("exit", (code, signal) => {
  // Stopping: take down whatever the command left in the group (and ourselves with it).
  if (ending) killGroup();
  process.exit(code ?? (signal ? 1 : 0));
});
