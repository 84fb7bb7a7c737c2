// Where the typical app lives: the shop example, a Pulumi project of its own that uses this
// package by name. The commands (npm start, plan, check, graph, dlq, rollback) act on it unless
// given another project.
import * as path from "node:path";

export const SHOP_DIR = path.resolve(__dirname, "..", "examples", "shop");
