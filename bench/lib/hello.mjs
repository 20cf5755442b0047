// Starts bench/hello (a hello-world Worker) with `wrangler dev` the way bench:api starts the API.
import { join } from "node:path";
import { freePort, ROOT, startService, stopService, WRANGLER, wranglerEnv } from "../../scripts/lib/processes.ts";

/** Starts the hello-world Worker on loopback with its state in `dir`; resolves its URL and a stop(). */
export async function startHello(dir, logLevel) {
  const port = await freePort();
  const service = startService(
    "hello",
    WRANGLER,
    [
      "dev",
      ...["-c", join(ROOT, "bench", "hello", "wrangler.toml"), "--ip", "127.0.0.1", "--port", String(port)],
      ...["--persist-to", dir, "--inspector-port", String(await freePort()), "--log-level", logLevel],
      "--show-interactive-dev-session=false",
    ],
    {
      env: wranglerEnv({ WRANGLER_REGISTRY_PATH: join(dir, "registry") }),
      quiet: true,
      logFile: join(dir, "hello.log"),
    },
  );
  const url = `http://127.0.0.1:${port}`;
  for (let waited = 0; ; waited += 250) {
    try {
      if ((await fetch(url, { signal: AbortSignal.timeout(5000) })).ok) break;
    } catch {}
    if (waited > 180_000) throw new Error(`hello-world wrangler dev did not start:\n${service.recentOutput()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return { url, stop: () => stopService(service) };
}
