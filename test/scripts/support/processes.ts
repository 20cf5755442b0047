import { execFileSync } from "node:child_process";

interface Row {
  pid: number;
  pgid: number;
  args: string;
}

function table(): Row[] {
  return execFileSync("ps", ["-eo", "pid=,pgid=,args="], { encoding: "utf8" })
    .split("\n")
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ pid: Number(m[1]), pgid: Number(m[2]), args: m[3] as string }));
}

/**
 * Process groups of a local stack: every group holding a process whose command line names
 * `path` (its persist directory). workerd's own command line does not name it, but it runs in
 * the group of the wrangler that started it.
 */
export function stackGroups(path: string): Set<number> {
  const rows = table();
  // Never our own group: a child the test ran (e.g. an upload) may name the path too.
  const own = rows.find((r) => r.pid === process.pid)?.pgid;
  return new Set(rows.filter((r) => r.args.includes(path) && r.pgid !== own).map((r) => r.pgid));
}

/** Command lines of the live processes in `groups`. */
export function processesIn(groups: Set<number>): string[] {
  return table()
    .filter((r) => groups.has(r.pgid))
    .map((r) => r.args);
}
