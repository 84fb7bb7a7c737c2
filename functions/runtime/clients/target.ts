// Which cloud a function runs on. The bundler replaces `process.env.SB_TARGET` with the target's
// name, so each bundle keeps only its own cloud's client code (the other branches, and the SDKs
// they require, are dropped as dead code).
export type Target = "aws" | "tencentcloud" | "local";

export function currentTarget(): Target {
    const target = process.env.SB_TARGET;
    if (target === "aws" || target === "tencentcloud" || target === "local") return target;
    throw new Error(`SB_TARGET is '${target ?? ""}': runtime clients work inside a bundled function (aws, tencentcloud or local)`);
}

/** The variable a link sets for `key` of component `name` of kind `type`: SB_HUB_EVENTS_NAME. */
export function linkedValue(type: string, name: string, key: string): string {
    const variable = ["SB", type, name, key].join("_").toUpperCase().replace(/[^A-Z0-9_]/g, "_");
    const value = process.env[variable];
    if (!value) throw new Error(`${variable} is not set: link the ${type} '${name}' to this function (link: [${name}.link])`);
    return value;
}
