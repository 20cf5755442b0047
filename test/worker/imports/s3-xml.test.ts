import { describe, expect, it } from "vitest";
import { decodeXmlText, parseListObjectsV2, parseS3Error } from "../../../worker/imports/s3-xml";

// Shapes as AWS S3, MinIO and R2 send them (ETag quoted and entity-escaped, keys escaped).
const page = `<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Name>egrid</Name><Prefix>2023/</Prefix><KeyCount>2</KeyCount><MaxKeys>2</MaxKeys>
  <IsTruncated>true</IsTruncated>
  <Contents><Key>2023/gen&amp;plants &lt;v2&gt;.csv</Key><LastModified>2026-11-20T10:00:00.000Z</LastModified>
    <ETag>&quot;9b2cf535f27731c974343645a3985328&quot;</ETag><Size>1048576</Size><StorageClass>STANDARD</StorageClass></Contents>
  <Contents><Key>2023/big.csv</Key><ETag>"d41d8cd98f00b204e9800998ecf8427e-12"</ETag><Size>805306368</Size></Contents>
  <NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</NextContinuationToken>
</ListBucketResult>`;

describe("parseListObjectsV2", () => {
  it("reads keys, unquoted ETags, sizes and the continuation token", () => {
    expect(parseListObjectsV2(page)).toEqual({
      objects: [
        { key: "2023/gen&plants <v2>.csv", etag: "9b2cf535f27731c974343645a3985328", size: 1048576 },
        { key: "2023/big.csv", etag: "d41d8cd98f00b204e9800998ecf8427e-12", size: 805306368 },
      ],
      nextContinuationToken: "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=",
    });
  });

  it("ends the listing when IsTruncated is false, even if a token is present", () => {
    const last = page.replace("<IsTruncated>true</IsTruncated>", "<IsTruncated>false</IsTruncated>");
    expect(parseListObjectsV2(last).nextContinuationToken).toBeUndefined();
  });

  it("reads an empty bucket", () => {
    const empty =
      "<ListBucketResult><Name>b</Name><KeyCount>0</KeyCount><IsTruncated>false</IsTruncated></ListBucketResult>";
    expect(parseListObjectsV2(empty)).toEqual({ objects: [], nextContinuationToken: undefined });
  });

  it("rejects a body that is not a listing, quoting it", () => {
    expect(() => parseListObjectsV2("<html>captive portal</html>")).toThrow(/not a ListObjectsV2 response: <html>/);
  });
});

describe("parseS3Error", () => {
  it("gives Code: Message", () => {
    const xml = "<Error><Code>NoSuchBucket</Code><Message>The specified bucket does not exist</Message></Error>";
    expect(parseS3Error(xml)).toBe("NoSuchBucket: The specified bucket does not exist");
  });

  it("is undefined for bodies that are not S3 errors", () => {
    expect(parseS3Error("")).toBeUndefined();
  });
});

describe("decodeXmlText", () => {
  it("decodes predefined entities and numeric references once", () => {
    expect(decodeXmlText("a&amp;lt;b &#233;&#x1F600; &apos;q&quot;")).toBe("a&lt;b é😀 'q\"");
  });
});
