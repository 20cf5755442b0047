import { useState } from "preact/hooks";
import { type CsvValue, downloadText, toCsv } from "../../lib/csv";
import { DownloadButton } from "../download-button";

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
  return <DownloadButton label={label} onClick={download} error={error} csv={fileName} />;
}
