/**
 * A plant is identified by its ORISPL (EIA plant code) when the file has one, else by state and
 * name: two plants with the same name in one state are then indistinguishable, as in the file.
 * The key is the API's `plantId`.
 */
export function plantKeyOf(orispl: number | null, state: string, plantName: string): string {
  return orispl !== null ? String(orispl) : `${state}:${plantName}`;
}
