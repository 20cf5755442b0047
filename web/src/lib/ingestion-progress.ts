import type { Ingestion } from "./api";

/**
 * What the Progress column says for an ingestion: a bar (0..1) while it is moving or when it
 * finished, and words for everything else. Only queued files are "waiting"; a file that ended
 * (failed, skipped, retracted, held) says how it ended, so nobody waits for it.
 */
export interface ProgressView {
  /** 0..1 for a bar, null for no bar. */
  fraction: number | null;
  text: string;
}

function chunks(i: Ingestion): string {
  return `${i.chunks.done}/${i.chunks.total ?? "?"} chunks`;
}

export function progressView(i: Ingestion): ProgressView {
  const planned = i.chunks.total !== null && i.chunks.total > 0;
  const fraction = planned ? Math.min(i.chunks.done / (i.chunks.total ?? 1), 1) : null;
  switch (i.status) {
    case "queued":
      return { fraction: null, text: "waiting to start" };
    case "processing":
      return planned ? { fraction, text: chunks(i) } : { fraction: null, text: "reading the file" };
    case "done":
      return { fraction: 1, text: planned ? chunks(i) : "complete" };
    case "held":
      return { fraction: null, text: "loaded, not published (held)" };
    case "failed":
      return { fraction: null, text: planned ? `stopped after ${chunks(i)}` : "stopped before loading any rows" };
    case "skipped":
      return { fraction: null, text: "not loaded (skipped)" };
    case "retracted":
      return { fraction: null, text: "removed (file deleted)" };
    default:
      return { fraction: null, text: String(i.status) };
  }
}
