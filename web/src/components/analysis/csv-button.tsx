import { useState } from "preact/hooks";
import { type CsvValue, downloadText, toCsv } from "../../lib/csv";

export interface CsvButtonProps {
  fileName: string;
  header: string[];
  rows: () => CsvValue[][];
  label?: string;
}

/** "Download CSV" of rows the view already holds (exact values, not the rounded figures shown). */
export function CsvButton({ fileName, header, rows, label = "Download CSV" }: CsvButtonProps) {
  const [error, setError] = useState<string | null>(null);
  const download = () => {
    try {
      downloadText(fileName, toCsv(header, rows()));
      setError(null);
    } catch {
      setError("The download failed; try again.");
    }
  };
  return (
    <div class="download">
      <button type="button" class="secondary" onClick={download} data-csv={fileName}>
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
