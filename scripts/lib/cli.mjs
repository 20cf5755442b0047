// Command-line parsing shared by the bench commands: --help prints what the command measures,
// its options and environment variables and exits 0 before anything runs; an unknown option or
// a stray argument exits 2 with the same text, rather than starting a long run the user did not ask for.
import { parseArgs } from "node:util";

/**
 * Parses `argv` against `options` (node:util parseArgs, strict), adding -h/--help.
 * @returns the option values; exits the process on --help or bad input.
 */
export function parseCommandLine(name, help, options = {}, argv = process.argv.slice(2)) {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: { ...options, help: { type: "boolean", short: "h" } } }));
  } catch (error) {
    console.error(`${name}: ${error.message}\n\n${help}`);
    process.exit(2);
  }
  if (values.help) {
    console.log(help);
    process.exit(0);
  }
  return values;
}

/** `text` as a number > 0, else exits 2 naming the option or variable and what it got. */
export function positiveNumber(name, what, text) {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) {
    console.error(`${name}: ${what} must be a number greater than 0, got '${text}'`);
    process.exit(2);
  }
  return n;
}
