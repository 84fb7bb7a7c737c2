// Table on the local target: a SQLite file under the runtime's data directory
// (`.data/tables/<name>.sqlite`), which the runtime client creates on first use. The link is what
// a cloud's would be: the table's name and key, where it is, and the access it needs.
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { Link, linkVariable } from "../link";
import type { TableRealisation, TableSpec } from "../provider";
import { keyEnvironment, readLinkOf } from "../table";
import { localDataDir } from "./settings";

export function localTable(_parent: pulumi.Resource, spec: TableSpec): TableRealisation {
    const tableName = spec.name.replace(/-/g, "_");
    const file = localTableFile(spec.name);
    const resourceId = `local:table:${spec.name}`;
    const link: Link = {
        type: "table",
        name: spec.name,
        environment: { ...keyEnvironment(spec, tableName), [linkVariable("table", spec.name, "file")]: file },
        permissions: [{ actions: ["get", "put", "update", "delete", "query"], resources: [resourceId] }],
        resources: { tableName, file },
    };
    // The runtime client refuses writes through this link (SB_TABLE_<NAME>_ACCESS=read), as the clouds' policies do.
    const readLink = readLinkOf(link, [{ actions: ["get", "query"], resources: [resourceId] }]);
    return { tableName: pulumi.output(tableName), resourceId: pulumi.output(resourceId), link, readLink };
}

/** Where the local runtime keeps table `name`. */
export function localTableFile(name: string): string {
    return path.join(localDataDir(), "tables", `${name}.sqlite`);
}
