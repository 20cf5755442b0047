import { RequestAbortedError, readClientBody } from "../request-aborted";

/** Reads from a body until at least `want` bytes (or the end), returning them joined. */
export async function readHead(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  want: number,
): Promise<{ bytes: Uint8Array; done: boolean }> {
  const parts: Uint8Array[] = [];
  let size = 0;
  while (size < want) {
    const { done, value } = await readClientBody(reader);
    if (done) return { bytes: join(parts, size), done: true };
    parts.push(value);
    size += value.byteLength;
  }
  return { bytes: join(parts, size), done: false };
}

function join(parts: Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

/**
 * Streams `head` then the rest of `reader` into R2 without buffering the file. R2 needs the
 * length up front; FixedLengthStream enforces it, so a body shorter or longer than
 * Content-Length fails the put and nothing is stored (returns null). A client that drops the
 * connection meanwhile also leaves nothing stored, and throws RequestAbortedError.
 */
export async function streamToR2(
  bucket: R2Bucket,
  key: string,
  length: number,
  head: Uint8Array,
  reader: ReadableStreamDefaultReader<Uint8Array>,
  options: R2PutOptions,
): Promise<R2Object | null> {
  const { readable, writable } = new FixedLengthStream(length);
  const writer = writable.getWriter();
  const pump = (async () => {
    try {
      await writer.write(head);
      for (;;) {
        const { done, value } = await readClientBody(reader);
        if (done) break;
        await writer.write(value);
      }
      await writer.close();
    } catch (error) {
      await writer.abort(error).catch(() => {});
      await reader.cancel().catch(() => {});
      throw error;
    }
  })();
  const [pumped, put] = await Promise.allSettled([pump, bucket.put(key, readable, options)]);
  if (pumped.status === "fulfilled" && put.status === "fulfilled" && put.value) return put.value;
  if (put.status === "fulfilled" && put.value) await bucket.delete(key).catch(() => {});
  if (pumped.status === "rejected" && pumped.reason instanceof RequestAbortedError) throw pumped.reason;
  return null;
}
