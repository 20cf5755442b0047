// Runs s3rver in its own process: `node --openssl-legacy-provider s3rver-process.mjs <dir>`.
// s3rver encrypts ListObjectsV2 continuation tokens with DES, which OpenSSL 3 (Node >= 17)
// only offers through the legacy provider; without it every truncated listing answers 500.
// Prints `{"port":N}` on stdout once listening; exits on SIGTERM or when stdin closes.
import S3rver from "s3rver";

const server = new S3rver({ address: "127.0.0.1", port: 0, silent: true, directory: process.argv[2] });
const { port } = await server.run();
process.stdout.write(`${JSON.stringify({ port })}\n`);
const stop = () => server.close(() => process.exit(0));
process.on("SIGTERM", stop);
process.stdin.on("end", stop);
process.stdin.resume();
