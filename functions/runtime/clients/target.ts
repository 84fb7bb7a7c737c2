// Which cloud a function runs on. The bundler replaces `process.env.SB_TARGET` with the target's
// name, so each bundle keeps only its own cloud's client code (the other branches, and the SDKs
// they require, are dropped as dead code).
export type Target = "aws" | "tencentcloud" | "local";

export function currentTarget(): Target {
    const target = process.env.SB_TARGET;
    if (target === "aws" || target === "tencentcloud" || target === "local") return target;
    throw new Error(`SB_TARGET is '${target ?? ""}': runtime clients work inside a bundled function (aws, tencentcloud or local)`);
}

/**
 * The variable a link of component `name` of kind `type` sets for `key`: SB_HUB_EVENTS_NAME. The
 * components write it with the same function (components/link.ts), so the two sides cannot differ.
 */
export function linkVariableName(type: string, name: string, key: string): string {
    return ["SB", type, name, key].join("_").toUpperCase().replace(/[^A-Z0-9_]/g, "_");
}

/** A link variable a client needs; an error naming the variable and the link to add when it is missing. */
export function linkedValue(type: string, name: string, key: string): string {
    const variable = linkVariableName(type, name, key);
    const value = process.env[variable];
    if (!value) throw new Error(`${variable} is not set: link the ${type} '${name}' to this function (link: [${name}.link])`);
    return value;
}

/** An optional link variable: its value, or undefined when unset or empty. */
export function linkedSetting(type: string, name: string, key: string): string | undefined {
    return process.env[linkVariableName(type, name, key)] || undefined;
}
