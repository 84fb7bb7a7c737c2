// The public surface: every component, and the helpers their args need. This is also the
// component provider's entry for other languages: PulumiPlugin.yaml + package.json `main`.
export { Function } from "./function";
export type { FunctionArgs } from "./function";
export type { Link, LinkPermission } from "./link";
export { closure } from "./build/closure";
