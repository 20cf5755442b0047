export interface S3UploadOptions {
  file: string;
  key: string;
  endpoint: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  region?: string;
  onProgress?: (progress: { loaded: number; total: number }) => void;
  /** Bytes per part of a multipart upload (>= 5 MiB; default 8 MiB). Smaller files use one PUT. */
  partSize?: number;
  concurrency?: number;
}
export function uploadFileToS3(
  options: S3UploadOptions,
): Promise<{ key: string; bytes: number; etag: string | null; parts: number }>;
export function deleteObjectFromS3(
  options: Omit<S3UploadOptions, "file" | "onProgress" | "partSize" | "concurrency">,
): Promise<void>;
export function s3ConfigFromEnv(env?: Record<string, string | undefined>): {
  config: { endpoint?: string; bucket?: string; accessKeyId?: string; secretAccessKey?: string; region: string };
  missing: string[];
};
