export interface DownloadButtonProps {
  label: string;
  onClick: () => void;
  /** Why the last download failed, shown beside the button (role="alert"). */
  error: string | null;
  disabled?: boolean;
  /** The file name, as `data-csv`, for a file the page builds itself. */
  csv?: string;
}

/** The one look of a download: a secondary button with its failure beside it. */
export function DownloadButton({ label, onClick, error, disabled, csv }: DownloadButtonProps) {
  return (
    <div class="download">
      <button type="button" class="secondary" onClick={onClick} disabled={disabled} data-csv={csv}>
        {label}
      </button>
      {error && (
        <span class="error" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}
