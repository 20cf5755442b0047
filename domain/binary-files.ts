// Files people upload by mistake instead of the GEN sheet as CSV, recognised by their first bytes:
// the API refuses them at upload and the pipeline before parsing, with the same words.

const SIGNATURES: Array<[number[], string]> = [
  [[0x50, 0x4b, 0x03, 0x04], "a ZIP archive (an .xlsx workbook is one): export the GEN sheet to CSV first"],
  [[0x1f, 0x8b], "a gzip-compressed file: decompress it and upload the .csv"],
  [[0x25, 0x50, 0x44, 0x46], "a PDF document"],
  [[0x89, 0x50, 0x4e, 0x47], "a PNG image"],
  [[0xff, 0xd8, 0xff], "a JPEG image"],
  [[0x47, 0x49, 0x46, 0x38], "a GIF image"],
  [[0xd0, 0xcf, 0x11, 0xe0], "a legacy Excel (.xls) workbook: export the GEN sheet to CSV first"],
  [[0xff, 0xfe], "UTF-16 text: save the file as CSV UTF-8"],
  [[0xfe, 0xff], "UTF-16 text: save the file as CSV UTF-8"],
];

/** Says why bytes are not CSV text, or returns undefined when they could be. */
export function sniffBinary(bytes: Uint8Array): string | undefined {
  for (const [signature, what] of SIGNATURES) {
    if (signature.every((byte, i) => bytes[i] === byte)) return `The file is ${what}, not CSV text.`;
  }
  const nul = bytes.indexOf(0);
  if (nul !== -1) {
    return `The file is binary, not CSV text (a NUL byte at offset ${nul}). Upload the GEN sheet exported as CSV.`;
  }
  return undefined;
}
