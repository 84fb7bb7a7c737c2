// Function on Tencent Cloud: an SCF function on the newest Node.js runtime, running as its own
// CAM role whose policy grants exactly what its links need.
import * as pulumi from "@pulumi/pulumi";
import { target } from "../cloud";
import type { FunctionRealisation, FunctionSpec } from "../provider";
import { accountUin } from "./account";
import { assumeRoleBy, camPolicyDocument } from "./policy";
import { CamPolicy, CamRole, CamRolePolicyAttachment, ScfFunction } from "./sdk";

/**
 * The SCF runtime: the newest Node.js one Tencent documents for SCF that provider 1.83.25 passes on.
 * - Tencent: the SCF API's CreateFunction `Runtime` parameter lists Nodejs6.10 ... Nodejs18.15
 *   (as carried by tencentcloud-sdk-nodejs 4.1.313, scf/v20180416/scf_models.d.ts, and by the
 *   tencentcloud-sdk-go scf v1.3.101 vendored in the provider); SCF's "Node.js 版本选择" notes also
 *   stop at Node.js 18.15. `Nodejs20.15` appears in third-party configs but in no Tencent document found.
 * - Provider: terraform-provider-tencentcloud v1.83.25, tencentcloud/services/scf/resource_tc_scf_function.go:
 *   `runtime` is a plain string with no ValidateFunc, sent to CreateFunction unchanged (its doc text
 *   still lists only up to Nodejs12.16).
 * test/unit/runtimes.test.ts holds it to test/fixtures/function-runtimes.json.
 */
export const SCF_RUNTIME = "Nodejs18.15";
export const SCF_NAMESPACE = "default";

/**
 * SCF's `Description`: at most 1,000 English letters, digits, spaces, commas, newlines and full
 * stops, Chinese allowed (SCF API CreateFunction, cloud.tencent.com/document/api/583/18586); the
 * provider (resource_tc_scf_function.go, `description`) passes it on unchecked.
 */
export const SCF_DESCRIPTION_MAX_LENGTH = 1000;
const SCF_DESCRIPTION_OUTSIDE = /[^A-Za-z0-9 ,.\n\u3400-\u4dbf\u4e00-\u9fff]+/g;

/**
 * A description SCF takes: each run of other characters becomes one space (`GET /users/{userId}`
 * reads `GET users userId`), cut to the length allowed. Sanitised rather than refused: it is
 * console text only, the components generate most descriptions from route keys and names, and
 * here a given one cannot be told from a generated one; AWS keeps the original.
 */
export function scfDescription(description: string | undefined): string | undefined {
    if (description === undefined) return undefined;
    const text = description.replace(SCF_DESCRIPTION_OUTSIDE, " ").replace(/ {2,}/g, " ").trim();
    const cut = text.slice(0, SCF_DESCRIPTION_MAX_LENGTH).trimEnd();
    return cut === "" ? undefined : cut;
}

export function tencentFunction(parent: pulumi.Resource, spec: FunctionSpec): FunctionRealisation {
    const opts = { parent };
    const code = spec.code.bundle({ module: "tencentcloud", exportName: "toScf" }, []);

    const role = new CamRole(`${spec.name}-role`, {
        document: assumeRoleBy("scf.qcloud.com"),
        description: `Execution role of function ${spec.name}`,
        consoleLogin: false,
    }, opts);
    // CAM refuses an empty policy: a function without links runs with a role that may do nothing.
    const attachment = spec.linkCount === 0 ? undefined : attachPolicy(spec, role, opts);

    const fn = new ScfFunction(spec.name, {
        namespace: SCF_NAMESPACE,
        runtime: SCF_RUNTIME,
        handler: "index.handler",
        zipFile: code.zipPath,
        memSize: spec.memory,
        timeout: spec.timeout,
        role: role.name,
        description: scfDescription(spec.description),
        environment: spec.environment.apply((vars) => ({ NODE_OPTIONS: "--enable-source-maps", ...vars })),
        // Cloud APIs (EB, SES, the dead-letter queue) are public endpoints; a function placed in a
        // VPC keeps reaching them only with public network access on, so say so explicitly (the
        // provider's own VPC example does the same).
        enablePublicNet: true,
        // In the VPC of what it links (a table's cluster has a private address only); left out
        // (undefined) when no link needs one.
        vpcId: spec.network?.apply((n) => n?.vpcId) as pulumi.Output<string> | undefined,
        subnetId: spec.network?.apply((n) => n?.subnetId) as pulumi.Output<string> | undefined,
    }, { parent, dependsOn: attachment ? [attachment] : [] });

    const resourceId = pulumi.interpolate`qcs::scf:${target().region}:uin/${accountUin()}:namespace/${SCF_NAMESPACE}/function/${fn.name}`;
    return {
        functionName: fn.name,
        resourceId,
        invokePermission: { actions: ["scf:InvokeFunction"], resources: [resourceId] },
        alias: { name: spec.release.alias, id: pulumi.interpolate`${resourceId}/alias/${spec.release.alias}` },
    };
}

function attachPolicy(spec: FunctionSpec, role: CamRole, opts: pulumi.CustomResourceOptions): CamRolePolicyAttachment {
    const policy = new CamPolicy(`${spec.name}-policy`, {
        document: camPolicyDocument(spec.permissions),
        description: `What function ${spec.name} may do with the components it links`,
    }, opts);
    return new CamRolePolicyAttachment(`${spec.name}-policy-attachment`, { roleId: role.id, policyId: policy.id }, opts);
}
