// Small readers for loosely shaped cloud events, shared by the adapters.

/** Every non-null value of an object as a string; anything else gives an empty record. */
export function stringRecord(value: unknown): Record<string, string> {
  const result: Record<string, string> = {};
  if (!isObject(value)) return result;
  for (const [key, item] of Object.entries(value)) {
    if (item !== undefined && item !== null) result[key] = String(item);
  }
  return result;
}

/** The first non-empty string among the candidates. */
export function firstString(...values: unknown[]): string | undefined {
  return values.find((value): value is string => typeof value === "string" && value !== "");
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
