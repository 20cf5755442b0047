import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import { adjacencyGraphs, dictionary } from "@zxcvbn-ts/language-common";

/** At least this many characters (NIST SP 800-63B allows 8; we ask 12 for shared accounts). */
export const MIN_PASSWORD_LENGTH = 12;
/**
 * zxcvbn's score from 0 to 4; 3 is "safely unguessable": about 10^8 guesses or more, out of reach
 * of online guessing and slow for an offline attack on a PBKDF2 hash.
 */
export const MIN_PASSWORD_SCORE = 3;

/** zxcvbn's warning keys (language-common ships no texts), in plain words. */
const WARNINGS: Record<string, string> = {
  simpleRepeat: "repeats one character or a short pattern",
  extendedRepeat: "repeats a pattern",
  sequences: "is a sequence like abc or 1234",
  straightRow: "is a row of keys on the keyboard",
  keyPattern: "is a keyboard pattern",
  topTen: "is one of the ten most common passwords",
  topHundred: "is one of the hundred most common passwords",
  common: "is a commonly used password",
  similarToCommon: "is a common password with small changes",
  recentYears: "is built on a recent year",
  dates: "is built on a date",
  userInputs: "contains the email address",
};

// Built on first use: loading the dictionaries costs CPU that sign-in requests need not pay.
let factory: ZxcvbnFactory | undefined;

/**
 * Why a password is not acceptable, or null when it is: too short, or too easy to guess
 * (repetitive, a sequence, a common password or one close to it, or the user's own email),
 * estimated by zxcvbn-ts against its common-password and name lists.
 */
export function passwordProblem(password: string, userInputs: string[] = []): string | null {
  if ([...password].length < MIN_PASSWORD_LENGTH) return `use at least ${MIN_PASSWORD_LENGTH} characters`;
  factory ??= new ZxcvbnFactory({ dictionary, graphs: adjacencyGraphs });
  const { score, feedback } = factory.check(password, userInputs);
  if (score >= MIN_PASSWORD_SCORE) return null;
  const why = (feedback.warning && WARNINGS[feedback.warning]) ?? "is too easy to guess";
  return `this password ${why}; use a longer phrase of unrelated words, e.g. four random words`;
}
