/** Bounds of N, as the API enforces them (issue 3: n 1..1000). */
export const N_MIN = 1;
export const N_MAX = 1000;

export type NCheck = { ok: true; value: number } | { ok: false; message: string };

/**
 * Checks what the user typed into the N box. Invalid input yields a message to show beside the
 * field, and the caller sends no request.
 * @example validateN("25") // { ok: true, value: 25 }
 */
export function validateN(input: string): NCheck {
  const text = input.trim();
  if (text === "") return { ok: false, message: `Enter how many plants to show, from ${N_MIN} to ${N_MAX}.` };
  if (!/^[0-9]+$/.test(text)) {
    return { ok: false, message: `N must be a whole number from ${N_MIN} to ${N_MAX}; "${text}" is not.` };
  }
  const value = Number(text);
  if (value < N_MIN) return { ok: false, message: `N must be at least ${N_MIN}.` };
  if (value > N_MAX) return { ok: false, message: `N can be at most ${N_MAX}; the API returns up to ${N_MAX} plants.` };
  return { ok: true, value };
}
