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
  /** "sample" (generated GEN file), "none", or a CSV path; loaded only when no dataset is active. */
  seed?: string;
  quiet?: boolean;
  devVarsPath?: string;
  /** What a failed seed ingestion does: "throw" (default) stops the stack and rejects. */
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
  stop(): Promise<void>;
}

export function startStack(options?: StackOptions): Promise<Stack>;
