// A link is how one component lets a function use it: plain data the component hands out
// (`table.link`), so it crosses language boundaries in the component provider. The function
// that takes it gets exactly these permissions and these environment variables.
import * as pulumi from "@pulumi/pulumi";
import { linkVariableName } from "../functions/runtime/clients/target";

/** Actions allowed on resources, in the target cloud's own policy vocabulary. */
export interface LinkPermission {
    /** e.g. `dynamodb:GetItem` on AWS, `scf:InvokeFunction` on Tencent Cloud. */
    actions: string[];
    /** ARNs on AWS, six-part `qcs::` resource strings on Tencent Cloud. */
    resources: pulumi.Input<string>[];
}

/** What one component hands a function so the function can use it: permissions and environment variables. */
export interface Link {
    /** The kind of component linked, e.g. `function`, `table`, `hub`. */
    type: string;
    /** The linked component's name. */
    name: string;
    /** Environment variables the runtime client reads to find the resource. */
    environment: { [key: string]: pulumi.Input<string> };
    /** What a function that takes the link may do: IAM statements on AWS, CAM statements on Tencent Cloud. */
    permissions: LinkPermission[];
    /**
     * Identifiers for components that wire to the linked one rather than call it, e.g. the bus
     * an AsyncTask's rule listens on: `{ busName, busArn }`.
     */
    resources?: { [key: string]: pulumi.Input<string> };
}

/** The environment variable a link of `type` and `name` uses for `key`: SB_TABLE_USERS_NAME. */
export function linkVariable(type: string, name: string, key: string): string {
    // The runtime clients read it with the same formula: one function for both sides.
    return linkVariableName(type, name, key);
}
