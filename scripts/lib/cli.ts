// Command-line parsing shared by every command: --help prints the usage and exits 0 before
// anything runs; an unknown option, a stray argument or a bad value exits 2 with the usage,
// rather than starting a long run the user did not ask for.
import { type ParseArgsOptionsConfig, parseArgs } from "node:util";

/** Prints `name: message` (and the usage when given) to stderr and exits with `code`. */
export function fail(name: string, message: string, usage?: string, code = 2): never {
  console.error(`${name}: ${message}${usage ? `\n\n${usage}` : ""}`);
  process.exit(code);
}

/** Parses `argv` against `options` (node:util parseArgs, strict, with -h/--help): the values. */
export function parseCommandLine<const O extends ParseArgsOptionsConfig>(
  name: string,
  help: string,
  options = {} as O,
) {
  return parseCommandLineWithPositionals(name, help, options, process.argv.slice(2), false).values;
}

/** The same, returning `{ values, positionals }`. */
export function parseCommandLineWithPositionals<const O extends ParseArgsOptionsConfig>(
  name: string,
  help: string,
  options: O,
  args = process.argv.slice(2),
  allowPositionals = true,
) {
  const all = { ...options, help: { type: "boolean", short: "h" } } as const;
  try {
    const parsed = parseArgs({ args, options: all, allowPositionals });
    if ((parsed.values as { help?: boolean }).help) {
      console.log(help);
      process.exit(0);
    }
    return parsed as unknown as ReturnType<typeof parseArgs<{ options: O; allowPositionals: true }>>;
  } catch (error) {
    return fail(name, (error as Error).message, help);
  }
}

/** `text` as a number > 0, else exits 2 naming the option or variable and what it got. */
export function positiveNumber(name: string, what: string, text: string | undefined): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) fail(name, `${what} must be a number greater than 0, got '${text}'`);
  return n;
}
