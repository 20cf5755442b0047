export type DevVars = Record<string, string>;
export function parseDevVars(text: string): DevVars;
export function generateDevVars(now?: Date): DevVars;
export function ensureDevVars(
  path: string,
): Promise<{ path: string; created: boolean; values: DevVars; missing: string[] }>;
