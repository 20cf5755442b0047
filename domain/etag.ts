/** Strips the quotes some clients keep around ETags, so R2's and S3's spellings compare equal. */
export function bareEtag(etag: string): string {
  return etag.replaceAll('"', "");
}
