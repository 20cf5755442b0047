/** Reads a ReadableStream as an async iterable of byte pieces (releasing the lock when done). */
export async function* pieces(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      if (value.length > 0) yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

/** A ranged read of one object version; fails with a clear reason if the version is gone. */
export async function readRange(
  bucket: R2Bucket,
  key: string,
  etag: string,
  range: { offset: number; length?: number },
): Promise<ReadableStream<Uint8Array>> {
  const object = await bucket.get(key, { range, onlyIf: { etagMatches: etag } });
  if (!object || !("body" in object)) throw new ObjectChangedError(key);
  return object.body;
}

export class ObjectChangedError extends Error {
  constructor(key: string) {
    super(
      `The object "${key}" was deleted or replaced while it was being ingested; the newer version is ingested on its own.`,
    );
  }
}
