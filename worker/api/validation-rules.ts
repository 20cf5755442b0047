import { getOpenApiMetadata } from "@asteasolutions/zod-to-openapi";
import { z } from "@hono/zod-openapi";

type RawIssue = z.core.$ZodRawIssue;
type Schema = z.core.$ZodType;
interface CheckDef {
  check: string;
  value?: unknown;
  inclusive?: boolean;
  format?: string;
  minimum?: number;
  maximum?: number;
}

function checksOf(schema: Schema): CheckDef[] {
  return ((schema._zod.def as { checks?: { _zod: { def: CheckDef } }[] }).checks ?? []).map((c) => c._zod.def);
}

const quoted = (values: readonly unknown[]) => values.map((v) => JSON.stringify(v)).join(", ");

/** The rule a schema states, in words: "a whole number from 1 to 1000", "one of "json", "csv"". */
export function ruleOf(schema: Schema): string {
  const def = schema._zod.def as {
    type: string;
    format?: string;
    entries?: Record<string, unknown>;
    values?: unknown[];
  };
  const checks = checksOf(schema);
  if (def.type === "number" || def.type === "int") {
    const whole = def.type === "int" || checks.some((c) => c.check === "number_format" && /int/.test(c.format ?? ""));
    const low = checks.find((c) => c.check === "greater_than");
    const high = checks.find((c) => c.check === "less_than");
    const kind = whole ? "a whole number" : "a number";
    const bound = (c: CheckDef | undefined, word: string) =>
      c ? `${c.inclusive ? word : `${word} (exclusive)`} ${c.value}` : "";
    if (low?.inclusive && high?.inclusive) return `${kind} from ${low.value} to ${high.value}`;
    return [kind, bound(low, "at least"), bound(high, "at most")].filter(Boolean).join(" ");
  }
  if (def.type === "enum") return `one of ${quoted(Object.values(def.entries ?? {}))}`;
  if (def.type === "literal") return `exactly ${quoted(def.values ?? [])}`;
  if (def.type === "boolean") return "true or false";
  if (def.type === "string") {
    // z.email() and friends carry their format on the schema, .regex() and co. as a check.
    const format = def.format ?? checks.find((c) => c.check === "string_format")?.format;
    const min = checks.find((c) => c.check === "min_length")?.minimum;
    const max = checks.find((c) => c.check === "max_length")?.maximum;
    const kind = format === "email" ? "an email address" : format ? `a ${format} string` : "text";
    if (min !== undefined && max !== undefined) return `${kind} of ${min} to ${max} characters`;
    if (max !== undefined) return `${kind} of at most ${max} characters`;
    if (min !== undefined) return `${kind} of at least ${min} characters`;
    return kind;
  }
  if (def.type === "object") return "a JSON object";
  return `a valid ${def.type}`;
}

/** A valid value: the schema's documented example, else one its rule allows. */
export function exampleOf(schema: Schema): unknown {
  // Only classic schemas (z.string() …, which every route uses) carry .openapi() metadata.
  const example = schema instanceof z.ZodType ? getOpenApiMetadata(schema).example : undefined;
  if (example !== undefined) return example;
  const def = schema._zod.def as { type: string; format?: string; entries?: Record<string, unknown> };
  if (def.format === "email") return "analyst@example.com";
  if (def.type === "enum") return Object.values(def.entries ?? {})[0];
  if (def.type === "number" || def.type === "int") {
    return checksOf(schema).find((c) => c.check === "greater_than" && c.inclusive)?.value ?? 1;
  }
  return undefined;
}

/**
 * Zod's error map for every schema without its own message: "must be <rule>, e.g. <name>=<example>"
 * (the validation hook adds the parameter name and the value received). Undefined leaves Zod's
 * wording, for issues this cannot describe.
 */
export function ruleMessage(issue: RawIssue): string | undefined {
  const schema = issue.schema;
  if (!schema || issue.code === "custom" || issue.code === "unrecognized_keys") return undefined;
  const name = (issue.path ?? []).map(String).join(".");
  const example = exampleOf(schema);
  const hint = example === undefined ? "" : `, e.g. ${name ? `${name}=` : ""}${String(example)}`;
  const rule = ruleOf(schema);
  if (issue.code === "invalid_type" && issue.input === undefined) return `is required: ${rule}${hint}`;
  return `must be ${rule}${hint}`;
}
