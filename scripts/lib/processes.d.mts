export const ROOT: string;
export const WRANGLER: string;
export function wranglerEnv(extra?: Record<string, string>): NodeJS.ProcessEnv;
export function run(
  command: string,
  args: string[],
  options?: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string },
): Promise<{ stdout: string; stderr: string }>;
export function portIsFree(port: number, host?: string): Promise<boolean>;
export function freePort(host?: string): Promise<number>;
