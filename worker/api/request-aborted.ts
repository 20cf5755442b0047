import { ProblemError } from "./problem";

/**
 * The client's request body failed while we read it: in workerd a read rejects (e.g. "Network
 * connection lost.") when the client closes the connection before sending Content-Length bytes.
 * Not a server fault: app.onError logs it as `request-aborted` (no stack) and answers
 * abortedProblem(), in case the client is still listening.
 */
export class RequestAbortedError extends Error {}

/** reader.read(), with a failure of the client's stream turned into RequestAbortedError. */
export async function readClientBody<T>(reader: ReadableStreamDefaultReader<T>): Promise<ReadableStreamReadResult<T>> {
  try {
    return await reader.read();
  } catch (error) {
    throw new RequestAbortedError(String(error));
  }
}

/** The answer to an aborted request: what happened and what to do, nothing internal. */
export function abortedProblem(): ProblemError {
  return new ProblemError(
    400,
    "incomplete-body",
    "Incomplete request",
    "the request body ended early (the connection closed before Content-Length bytes arrived); nothing was stored; send it again",
  );
}
