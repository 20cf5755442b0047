import { useRef, useState } from "preact/hooks";
import { type UploadAccepted, uploadCsv } from "../lib/api";
import { formatBytes } from "../lib/format";
import { useFailure, useSession } from "../lib/session-context";

type UploadState =
  | { phase: "idle" }
  | { phase: "sending"; loaded: number; total: number; abort: () => void }
  | { phase: "done"; accepted: UploadAccepted }
  | { phase: "error"; message: string };

/** Sends an eGRID GEN CSV to POST /api/v1/uploads with a progress bar; the pipeline ingests it. */
export function UploadForm({ onUploaded }: { onUploaded: (ingestionId: string) => void }) {
  const { session } = useSession();
  const failure = useFailure();
  const [file, setFile] = useState<File | null>(null);
  const [state, setState] = useState<UploadState>({ phase: "idle" });
  const statusRef = useRef<HTMLDivElement>(null);

  function submit(event: Event) {
    event.preventDefault();
    if (!file) {
      setState({ phase: "error", message: "Choose a CSV file first." });
      return;
    }
    const upload = uploadCsv(session.token, file, (loaded, total) =>
      setState((s) => (s.phase === "sending" ? { ...s, loaded, total } : s)),
    );
    setState({ phase: "sending", loaded: 0, total: file.size, abort: upload.abort });
    upload.done.then(
      (accepted) => {
        setState({ phase: "done", accepted });
        onUploaded(accepted.ingestionId);
        statusRef.current?.focus();
      },
      (e: unknown) => {
        const error = failure(e, "The upload failed.");
        if (error) setState({ phase: "error", message: error.detail });
      },
    );
  }

  const sending = state.phase === "sending";
  return (
    <form class="upload" onSubmit={submit}>
      <div class="field">
        <label for="upload-file">eGRID GEN sheet as CSV</label>
        <input
          id="upload-file"
          type="file"
          accept=".csv,text/csv"
          disabled={sending}
          onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)}
        />
        {file && <span class="hint">{`${file.name}, ${formatBytes(file.size)}`}</span>}
      </div>
      <div class="actions">
        <button type="submit" disabled={sending}>
          Upload
        </button>
        {sending && (
          <button type="button" class="secondary" onClick={state.abort}>
            Cancel
          </button>
        )}
      </div>
      <div ref={statusRef} tabIndex={-1} class="upload-status">
        {sending && (
          <>
            <label for="upload-progress">Uploading {file?.name}</label>
            <progress id="upload-progress" max={state.total || 1} value={state.loaded} />
            <span class="hint">
              {formatBytes(state.loaded)} of {formatBytes(state.total)} (
              {Math.round((state.loaded / (state.total || 1)) * 100)}%)
            </span>
          </>
        )}
        {state.phase === "done" && (
          <p role="status">
            Uploaded {formatBytes(state.accepted.sizeBytes)} as {state.accepted.objectKey}; ingestion{" "}
            {state.accepted.ingestionId} is queued. Its progress shows below.
          </p>
        )}
        {state.phase === "error" && (
          <p class="error" role="alert">
            {state.message}
          </p>
        )}
      </div>
    </form>
  );
}
