import { useEffect, useRef, useState } from "preact/hooks";
import { type ApiError, publishVersion, withdrawYear, type YearDatasets } from "../../lib/api";
import { formatTime } from "../../lib/format";
import { useFailure, useSession } from "../../lib/session-context";
import { ErrorMessage } from "../status";
import { VersionTable } from "./version-table";

type Action = { kind: "idle" } | { kind: "busy"; label: string } | { kind: "error"; error: ApiError };

/** One year: what is served, the Withdraw button (with a confirmation) and the version history. */
export function YearDatasetsCard({ year: y, onChanged }: { year: YearDatasets; onChanged: () => void }) {
  const { session } = useSession();
  const failure = useFailure();
  const [action, setAction] = useState<Action>({ kind: "idle" });
  const [confirming, setConfirming] = useState(false);
  const busy = action.kind === "busy";
  const confirmRef = useRef<HTMLButtonElement>(null);
  // The confirmation replaces the button that opened it: move focus there, not to the page top.
  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
  }, [confirming]);

  function run(label: string, request: () => Promise<YearDatasets>) {
    setAction({ kind: "busy", label });
    request().then(
      () => {
        setAction({ kind: "idle" });
        setConfirming(false);
        onChanged();
      },
      (e: unknown) => {
        const error = failure(e);
        if (error) setAction({ kind: "error", error });
      },
    );
  }
  const publish = (ingestionId: string, objectKey: string) =>
    run(`Publishing ${objectKey}…`, () => publishVersion(session.token, y.year, ingestionId));
  const withdraw = () => run(`Withdrawing ${y.year}…`, () => withdrawYear(session.token, y.year));

  const headingId = `year-${y.year}`;
  return (
    <section class={`year-datasets ${y.state}`} aria-labelledby={headingId} aria-busy={busy}>
      <h3 id={headingId}>{y.year}</h3>
      <p class="year-state">
        <YearState year={y} />
      </p>
      {y.state === "published" && !confirming && (
        <button type="button" class="secondary" disabled={busy} onClick={() => setConfirming(true)}>
          Withdraw {y.year}
        </button>
      )}
      {confirming && (
        <div class="confirm">
          <p>
            Withdraw {y.year}? The API and the plants page will serve no {y.year} data until you publish a version
            again. Nothing is deleted.
          </p>
          <button type="button" class="danger" disabled={busy} onClick={withdraw} ref={confirmRef}>
            Yes, withdraw {y.year}
          </button>{" "}
          <button type="button" class="secondary" disabled={busy} onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </div>
      )}
      {action.kind === "busy" && <p role="status">{action.label}</p>}
      {action.kind === "error" && <ErrorMessage error={action.error} />}
      <VersionTable year={y} busy={busy} onPublish={publish} />
    </section>
  );
}

function YearState({ year: y }: { year: YearDatasets }) {
  if (y.state === "published") {
    const active = y.versions.find((v) => v.active);
    return (
      <>
        <span class="badge done">published</span> {active ? active.objectKey : `ingestion ${y.activeIngestionId}`},
        since {formatTime(y.activatedAt, "an unknown time")}
        {y.activatedBy ? ` (by ${y.activatedBy})` : ""}.
      </>
    );
  }
  if (y.state === "withdrawn") {
    return (
      <>
        <span class="badge withdrawn">withdrawn</span> on {formatTime(y.withdrawnAt, "an unknown time")}
        {y.activatedBy ? ` by ${y.activatedBy}` : ""}: no {y.year} data is served. Restore it by publishing a version
        below.
      </>
    );
  }
  return (
    <>
      <span class="badge held">not published</span> No version of {y.year} has been published; publish one below to
      serve it.
    </>
  );
}
