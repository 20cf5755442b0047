// wrangler.toml as wrangler itself reads it (its own parser, not regular expressions of ours).
import { createRequire } from "node:module";
import { join } from "node:path";
import type { Unstable_RawConfig } from "wrangler";
import { ROOT } from "./processes.ts";

/** The raw config at `path`. wrangler is loaded on first use only: it takes a second to load. */
export function readWranglerConfig(path = join(ROOT, "wrangler.toml")): Unstable_RawConfig {
  const wrangler: typeof import("wrangler") = createRequire(import.meta.url)("wrangler");
  return wrangler.experimental_readRawConfig({ config: path }).rawConfig;
}
