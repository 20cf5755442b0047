import { useEffect, useRef, useState } from "preact/hooks";
import type { CreatedApiKey } from "../../lib/api";

type CopyState = "idle" | "copied" | "failed";

/**
 * The secret of a key just created. The API sends it once (POST /api/v1/keys) and stores only a
 * hash, so this box is the only place it is ever shown; Done forgets it.
 */
export function NewSecret({ apiKey, onDone }: { apiKey: CreatedApiKey; onDone: () => void }) {
  const [copy, setCopy] = useState<CopyState>("idle");
  const boxRef = useRef<HTMLElement>(null);
  useEffect(() => boxRef.current?.focus(), []);

  function copySecret() {
    // The Clipboard API needs a secure context (HTTPS or localhost) and may be refused.
    const write = navigator.clipboard?.writeText(apiKey.secret) ?? Promise.reject(new Error("no clipboard"));
    write.then(
      () => setCopy("copied"),
      () => setCopy("failed"),
    );
  }

  return (
    <section class="new-secret" aria-labelledby="new-secret-heading" tabIndex={-1} ref={boxRef}>
      <h3 id="new-secret-heading">Key "{apiKey.name}" created</h3>
      <p>
        <strong>Copy it now: you will not see it again.</strong> Send it as <code>Authorization: Bearer …</code>.
      </p>
      <div class="secret-row">
        <input
          class="secret"
          readOnly
          value={apiKey.secret}
          aria-label="New API key"
          onFocus={(e) => e.currentTarget.select()}
        />
        <button type="button" onClick={copySecret}>
          Copy
        </button>
      </div>
      <p role="status" class="hint">
        {copy === "copied" && "Copied to the clipboard."}
        {copy === "failed" && "Could not copy: select the key above and copy it by hand."}
      </p>
      <button type="button" class="secondary" onClick={onDone}>
        Done, I have stored it
      </button>
    </section>
  );
}
