// Excel's "CSV" on Windows writes Windows-1252 (Latin-1) names; "CSV UTF-8" writes UTF-8. Bytes
// are read as strict UTF-8 first and, once they are not valid UTF-8, as Windows-1252 instead of
// turning into U+FFFD. Windows-1252 maps every byte to one character, so nothing is lost.

/**
 * How many leading bytes of `bytes` hold only whole UTF-8 sequences: a sequence cut at the end
 * (at most 3 bytes) is left for the next piece. Invalid bytes are left in, for the decoder to refuse.
 */
export function completeUtf8Length(bytes: Uint8Array): number {
  let start = bytes.length - 1;
  while (start >= 0 && bytes.length - start < 4 && ((bytes[start] as number) & 0xc0) === 0x80) start--;
  if (start < 0) return bytes.length;
  const lead = bytes[start] as number;
  const length = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return bytes.length - start < length ? start : bytes.length;
}

/** Decodes a stream of byte pieces as UTF-8, or as Windows-1252 from the first piece that is not UTF-8 on. */
export class Utf8OrWindows1252Decoder {
  // Not a streaming decoder: one holds an unfinished sequence (even in the middle of what it was
  // given, before another lead byte) where the fallback cannot see it. Each piece's whole
  // sequences are decoded alone; a sequence cut at the end is held here, in view.
  private utf8: TextDecoder | undefined = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
  private readonly windows1252 = new TextDecoder("windows-1252");
  /** The start of a UTF-8 sequence cut at the end of the previous piece. */
  private held = new Uint8Array(0);
  private started = false;

  /** True once the bytes were found not to be UTF-8. */
  get fellBack(): boolean {
    return this.utf8 === undefined;
  }

  /** Decodes the next piece (`final`: no more pieces follow). `onFallback` is called when switching. */
  decode(piece: Uint8Array, final: boolean, onFallback?: () => void): string {
    const text = this.decodeBytes(piece, final, onFallback);
    if (this.started || text.length === 0) return text;
    this.started = true;
    return text.replace(/^\uFEFF/, ""); // A byte-order mark starts the stream only.
  }

  private decodeBytes(piece: Uint8Array, final: boolean, onFallback?: () => void): string {
    if (!this.utf8) return this.windows1252.decode(piece);
    let bytes = piece;
    if (this.held.length > 0) {
      bytes = new Uint8Array(this.held.length + piece.length);
      bytes.set(this.held);
      bytes.set(piece, this.held.length);
    }
    const complete = final ? bytes.length : completeUtf8Length(bytes);
    try {
      const text = this.utf8.decode(bytes.subarray(0, complete));
      this.held = bytes.slice(complete);
      return text;
    } catch {
      // Read everything not yet returned, including the held bytes, as Windows-1252.
      this.utf8 = undefined;
      this.held = new Uint8Array(0);
      onFallback?.();
      return this.windows1252.decode(bytes);
    }
  }
}

/** Decodes a whole (or leading part of a) file: UTF-8 when valid, else Windows-1252. */
export function decodeUtf8OrWindows1252(bytes: Uint8Array, complete: boolean): { text: string; windows1252: boolean } {
  const decoder = new Utf8OrWindows1252Decoder();
  const text = decoder.decode(bytes, complete);
  return { text, windows1252: decoder.fellBack };
}
