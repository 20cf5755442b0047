export const DEPLOY_CONFIG: string;
export interface ProjectNames {
  worker: string;
  d1: string;
  kv: string;
  bucket: string;
  queue: string;
  dlq: string;
  consumers: string[];
  pages: string;
}
export function projectNames(root: string): ProjectNames;
export function deployConfigToml(toml: string, ids: { d1Id: string; kvId: string; webOrigin?: string }): string;
export function jsonArray(text: string): Record<string, unknown>[];
export function listsName(text: string, name: string): boolean;
export interface DeployHooks {
  root: string;
  exec: (args: string[], options?: { cwd?: string; input?: string; secret?: boolean }) => Promise<string>;
  ask: (question: string, options?: { hidden?: boolean }) => Promise<string>;
  writeConfig: (path: string, text: string) => Promise<void>;
  buildWeb: () => Promise<void>;
  log: (message: string) => void;
  env?: Record<string, string | undefined>;
  web?: boolean;
}
export function deploy(
  hooks: DeployHooks,
): Promise<{ apiUrl: string; webUrl: string | null; docsUrl: string; names: ProjectNames }>;
