/** How a plant of one year was found in another year. */
export type MatchedBy = "orispl" | "name";

/** The same plant in the nearest earlier published year with data. */
export interface PreviousYear {
  year: number;
  plantId: string;
  netGenerationMwh: number | null;
  rank: number;
  matchedBy: MatchedBy;
}
