import { useState } from "preact/hooks";
import { AUDIT_ACTION_LABELS } from "../../lib/audit-actions";

export interface AuditFilter {
  action: string | null;
  actor: string | null;
  /** YYYY-MM-DD (UTC days), inclusive. */
  sinceDate: string | null;
  untilDate: string | null;
}

export const NO_FILTER: AuditFilter = { action: null, actor: null, sinceDate: null, untilDate: null };

/** The API's since/until (ISO 8601 instants) for whole UTC days, both ends included. */
export function auditRange(f: AuditFilter): { since: string | null; until: string | null } {
  return {
    since: f.sinceDate ? `${f.sinceDate}T00:00:00Z` : null,
    until: f.untilDate ? `${f.untilDate}T23:59:59.999Z` : null,
  };
}

/** Action, actor, since, until; applied on submit (one request per search, not per keystroke). */
export function AuditFilters({ onApply }: { onApply: (filter: AuditFilter) => void }) {
  const [f, setF] = useState<AuditFilter>(NO_FILTER);
  const [problem, setProblem] = useState<string | null>(null);
  const set = (patch: Partial<AuditFilter>) => setF((prev) => ({ ...prev, ...patch }));

  function submit(e: Event) {
    e.preventDefault();
    if (f.sinceDate && f.untilDate && f.sinceDate > f.untilDate) {
      return setProblem(`"Since" (${f.sinceDate}) is after "until" (${f.untilDate}); swap them or clear one.`);
    }
    setProblem(null);
    onApply({ ...f, actor: f.actor?.trim() || null });
  }

  return (
    <form class="audit-filters" onSubmit={submit} aria-label="Filter the audit trail">
      <div class="field">
        <label for="audit-action">Action</label>
        <select
          id="audit-action"
          value={f.action ?? ""}
          onChange={(e) => set({ action: e.currentTarget.value || null })}
        >
          <option value="">All actions</option>
          {Object.entries(AUDIT_ACTION_LABELS).map(([value, label]) => (
            <option key={value} value={value}>
              {label} ({value})
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="audit-actor">Who (email or user id)</label>
        <input
          id="audit-actor"
          value={f.actor ?? ""}
          maxLength={254}
          onInput={(e) => set({ actor: e.currentTarget.value })}
        />
      </div>
      <DayField id="audit-since" label="Since" value={f.sinceDate} onInput={(sinceDate) => set({ sinceDate })} />
      <DayField id="audit-until" label="Until" value={f.untilDate} onInput={(untilDate) => set({ untilDate })} />
      <button type="submit">Show</button>
      {problem && (
        <p class="error" role="alert">
          {problem}
        </p>
      )}
    </form>
  );
}

/** A UTC day (YYYY-MM-DD), or none when cleared. */
function DayField({ id, label, value, onInput }: DayFieldProps) {
  return (
    <div class="field">
      <label for={id}>{`${label} (UTC day)`}</label>
      <input id={id} type="date" value={value ?? ""} onInput={(e) => onInput(e.currentTarget.value || null)} />
    </div>
  );
}

interface DayFieldProps {
  id: string;
  label: string;
  value: string | null;
  onInput: (day: string | null) => void;
}
