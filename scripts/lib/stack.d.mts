import type { SeedResult } from "./seed.mjs";

export const DEFAULT_PERSIST_DIR: string;

export interface StackOptions {
  /** Miniflare state directory (default .wrangler/state); its own .dev.vars unless the default. */
  persistDir?: string;
  /** 0 picks a free port. */
  apiPort?: number;
  webPort?: number;
  /** Interface to listen on (default 127.0.0.1; 0.0.0.0 in a container). */
  host?: string;
  /** Start the Pages site too (default true; skipped when web/ has no app). */
  web?: boolean;
  /**
   * "real" (default: the eGRID files in data/egrid/), "sample" (a generated file of invented
   * "Synthetic …" plants, key synthetic/…), "none", or a CSV path. Each file is loaded once per
   * state directory: a later start finds its ingestion and skips it (or retries it if it failed).
   */
  seed?: string;
  quiet?: boolean;
  devVarsPath?: string;
  /** What a seed file that does not load does: "throw" (default) stops the stack and rejects; "warn" logs it. */
  onSeedError?: "throw" | "warn";
  log?: (message: string) => void;
}

export interface Stack {
  apiUrl: string;
  /** null when the web app was not started. */
  webUrl: string | null;
  persistDir: string;
  devVarsPath: string;
  login: { email: string; password: string };
  /** One entry per seed file, in load order. */
  seeded: SeedResult[];
  stop(): Promise<void>;
}

export function startStack(options?: StackOptions): Promise<Stack>;
