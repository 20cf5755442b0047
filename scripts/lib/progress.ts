// A progress line for long transfers: redrawn in place on a terminal, one line per 10% otherwise
// (CI logs stay readable).

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

/** Returns `update(loaded)` and `done()`; writes to `stream` (stderr by default). */
export function createProgressBar({
  total,
  label = "",
  stream = process.stderr,
  width = 30,
}: {
  total: number;
  label?: string;
  stream?: NodeJS.WriteStream;
  width?: number;
}) {
  const started = performance.now();
  let lastStep = -1;
  const render = (loaded: number) => {
    const fraction = total > 0 ? Math.min(1, loaded / total) : 1;
    const seconds = (performance.now() - started) / 1000;
    const rate = seconds > 0 ? `${mb(loaded / seconds)}/s` : "";
    const filled = Math.round(fraction * width);
    const bar = `[${"#".repeat(filled)}${"-".repeat(width - filled)}]`;
    return `${label}${bar} ${String(Math.floor(fraction * 100)).padStart(3)}% ${mb(loaded)} / ${mb(total)} ${rate}`;
  };
  return {
    update(loaded: number) {
      if (stream.isTTY) {
        stream.write(`\r${render(loaded)}`);
        return;
      }
      const step = total > 0 ? Math.floor((loaded / total) * 10) : 10;
      if (step !== lastStep) stream.write(`${render(loaded)}\n`);
      lastStep = step;
    },
    done(loaded = total) {
      if (stream.isTTY) stream.write(`\r${render(loaded)}\n`);
      else if (lastStep !== 10) stream.write(`${render(loaded)}\n`);
    },
  };
}
