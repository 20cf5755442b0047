// Workers have no DOMParser. S3 responses are flat, machine-written XML, so extracting the few
// elements ListObjectsV2 and error bodies carry needs no general XML parser.

/** One object of a ListObjectsV2 page. `etag` has its quotes removed. */
export interface ListedObject {
  key: string;
  etag: string;
  size: number;
}

export interface ListObjectsPage {
  objects: ListedObject[];
  /** Present when the listing continues (`IsTruncated` true). */
  nextContinuationToken?: string;
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

/** Decodes the five predefined XML entities and numeric character references. */
export function decodeXmlText(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);/g, (_, entity: string) => {
    if (entity.startsWith("#x")) return String.fromCodePoint(Number.parseInt(entity.slice(2), 16));
    if (entity.startsWith("#")) return String.fromCodePoint(Number.parseInt(entity.slice(1), 10));
    return ENTITIES[entity] ?? "";
  });
}

function element(xml: string, name: string): string | undefined {
  const match = new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(xml);
  return match ? decodeXmlText(match[1] ?? "") : undefined;
}

export function stripEtagQuotes(etag: string): string {
  return etag.replaceAll('"', "");
}

/**
 * Parses a ListObjectsV2 response body (`<ListBucketResult>`).
 *
 * @example
 * parseListObjectsV2(xml) // { objects: [{ key: "a.csv", etag: "9b2c…", size: 120 }], nextContinuationToken: "…" }
 */
export function parseListObjectsV2(xml: string): ListObjectsPage {
  if (!xml.includes("<ListBucketResult")) {
    throw new Error(`not a ListObjectsV2 response: ${xml.slice(0, 200)}`);
  }
  const objects: ListedObject[] = [];
  for (const match of xml.matchAll(/<Contents>([\s\S]*?)<\/Contents>/g)) {
    const body = match[1] ?? "";
    const key = element(body, "Key");
    if (key === undefined) continue;
    objects.push({
      key,
      etag: stripEtagQuotes(element(body, "ETag") ?? ""),
      size: Number(element(body, "Size") ?? Number.NaN),
    });
  }
  const truncated = element(xml, "IsTruncated") === "true";
  const token = element(xml, "NextContinuationToken");
  return { objects, nextContinuationToken: truncated && token ? token : undefined };
}

/** `Code: Message` from an S3 `<Error>` body, or undefined when the body is not one. */
export function parseS3Error(xml: string): string | undefined {
  const code = element(xml, "Code");
  if (!code) return undefined;
  const message = element(xml, "Message");
  return message ? `${code}: ${message}` : code;
}
