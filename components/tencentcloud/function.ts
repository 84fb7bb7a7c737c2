// Function on Tencent Cloud: an SCF function on the newest Node.js runtime, running as its own
// CAM role whose policy grants exactly what its links need; a version published per change and the
// alias `live` that every caller invokes (./release.ts); its logs in a CLS topic of its own
// (./function-logs.ts); alarms on its errors and throttles (./function-alarms.ts); public network
// access only where it needs it (./public-network.ts).
//
// Tracing: SCF has no platform tracing to switch on. The function resource has no tracing input
// (tencentcloud_scf_function, v1.83.25), unlike Lambda's X-Ray `tracingConfig`; Tencent's APM
// (tencentcloud_apm_instance) receives traces only from an OpenTelemetry or SkyWalking agent in the
// code, sent to the instance's endpoint with its token. What the platform gives every invocation is
// its request id, in the function's CLS logs and in Invoke's answer; no tracing resource is made.
import * as pulumi from "@pulumi/pulumi";
import { target } from "../config";
import type { FunctionRealisation, FunctionSpec } from "../provider";
import { accountUin } from "./account";
import { functionAlarms } from "./function-alarms";
import { clsPeriod, functionLogTopic } from "./function-logs";
import { assumeRoleBy, camPolicyDocument } from "./policy";
import { publicNetworkReason } from "./public-network";
import { aliasRouting, versionDescription } from "./release";
import { CamPolicy, CamRole, CamRolePolicyAttachment, ScfFunction, ScfFunctionAlias, ScfFunctionVersion, ScfProvisionedConcurrencyConfig } from "./sdk";

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
    // Checked before anything registers.
    const period = clsPeriod(spec.name, spec.logRetentionDays);
    const code = spec.code.bundle({ module: "tencentcloud", exportName: "toScf" }, []);

    const role = new CamRole(`${spec.name}-role`, {
        document: assumeRoleBy("scf.qcloud.com"),
        description: `Execution role of function ${spec.name}`,
        consoleLogin: false,
    }, opts);
    // CAM refuses an empty policy: a function without links runs with a role that may do nothing.
    const attachment = spec.linkCount === 0 ? undefined : attachPolicy(spec, role, opts);
    const logs = functionLogTopic(parent, spec.name, period);
    const network = spec.network ?? pulumi.output(undefined);
    // Decided from the links' permissions and variable names, never from values: not secret.
    const publicNet = pulumi.unsecret(pulumi.all([network, spec.permissions, spec.environment])
        .apply(([placement, permissions, environment]) => publicNetworkReason(placement, permissions, environment) !== undefined));

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
        // Only where it needs it (./public-network.ts).
        enablePublicNet: publicNet,
        // In the VPC of what it links (a table's cluster has a private address only); left out
        // (undefined) when no link needs one.
        vpcId: spec.network?.apply((n) => n?.vpcId) as pulumi.Output<string> | undefined,
        subnetId: spec.network?.apply((n) => n?.subnetId) as pulumi.Output<string> | undefined,
        clsLogsetId: logs.logsetId,
        clsTopicId: logs.topicId,
    }, { parent, dependsOn: attachment ? [attachment] : [] });

    const alias = release(parent, spec, fn, code.sha256);
    if (spec.alarms) functionAlarms(parent, spec.name, fn.name, spec.alarms);

    // CAM authorises SCF per function: its resource strings name the namespace and the function
    // (`qcs::scf:<region>:uin/<uin>:namespace/<ns>/function/<name>`, SCF "权限管理概述",
    // cloud.tencent.com/document/product/583/47932, InvokeFunction at resource level); no document
    // found names a version or an alias in them. So the invoke permission names the function,
    // and callers choose the alias by the Invoke's Qualifier.
    const resourceId = pulumi.interpolate`qcs::scf:${target().region}:uin/${accountUin()}:namespace/${SCF_NAMESPACE}/function/${fn.name}`;
    return {
        functionName: fn.name,
        resourceId,
        invokePermission: { actions: ["scf:InvokeFunction"], resources: [resourceId] },
        // The qualified form EB targets take (`.../function/<name>/<qualifier>`), after the alias exists.
        alias: { name: spec.release.alias, id: pulumi.interpolate`${resourceId}/${alias.name}` },
    };
}

/**
 * Publishes the function's code and configuration as a version, routes the alias by
 * ./release.ts, and keeps provisioned instances on the alias's main version.
 */
function release(parent: pulumi.Resource, spec: FunctionSpec, fn: ScfFunction, codeSha256: pulumi.Output<string>): ScfFunctionAlias {
    const opts = { parent };
    // What the version captures, read from the function's state: published after its update.
    const configuration = pulumi.output({
        runtime: fn.runtime, handler: fn.handler, memSize: fn.memSize, timeout: fn.timeout, role: fn.role,
        environment: fn.environment, vpcId: fn.vpcId, subnetId: fn.subnetId, enablePublicNet: fn.enablePublicNet,
        clsTopicId: fn.clsTopicId, description: fn.description,
    });
    const version = new ScfFunctionVersion(`${spec.name}-version`, {
        functionName: fn.name,
        namespace: SCF_NAMESPACE,
        // A digest (of the environment too, which may hold a table's password): nothing to hide in it.
        description: pulumi.unsecret(pulumi.all([codeSha256, configuration]).apply(([sha256, config]) => versionDescription(sha256, config))),
    }, {
        parent,
        // Replaced, an old version stays published: the canary's previous version and a rollback's
        // pin route to it. Deleting the function deletes its versions.
        retainOnDelete: true,
    });

    const routing = version.functionVersion.apply((newest) => aliasRouting(spec.name, spec.release, newest));
    const alias = new ScfFunctionAlias(`${spec.name}-alias`, {
        name: spec.release.alias,
        functionName: fn.name,
        namespace: SCF_NAMESPACE,
        functionVersion: routing.functionVersion,
        routingConfig: { additionalVersionWeights: routing.additionalVersionWeights },
        description: routing.description,
    }, opts);

    if (spec.release.provisionedConcurrency > 0) {
        new ScfProvisionedConcurrencyConfig(`${spec.name}-provisioned-concurrency`, {
            functionName: fn.name,
            namespace: SCF_NAMESPACE,
            qualifier: routing.functionVersion,
            versionProvisionedConcurrencyNum: spec.release.provisionedConcurrency,
        }, { parent, dependsOn: [alias] });
    }
    return alias;
}

/** The alias a Function's `aliasId` names (its last segment), once the alias exists: the qualifier callers pass. */
export function aliasQualifier(aliasId: pulumi.Output<string>): pulumi.Output<string> {
    return aliasId.apply((id) => id.slice(id.lastIndexOf("/") + 1));
}

function attachPolicy(spec: FunctionSpec, role: CamRole, opts: pulumi.CustomResourceOptions): CamRolePolicyAttachment {
    const policy = new CamPolicy(`${spec.name}-policy`, {
        document: camPolicyDocument(spec.permissions),
        description: `What function ${spec.name} may do with the components it links`,
    }, opts);
    return new CamRolePolicyAttachment(`${spec.name}-policy-attachment`, { roleId: role.id, policyId: policy.id }, opts);
}
