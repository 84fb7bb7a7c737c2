// Short, readable names for resource types in the picture: "lambda Function" rather than
// "aws:lambda/function:Function", "local Task" rather than "serverless-blocks:local:Task".

/** The resource's type in a few words, then its name. */
export function resourceLabel(type: string, name: string): string {
    return `${shortType(type)} ${name}`;
}

export function shortType(type: string): string {
    const [pkg = "", module = "", kind = type] = type.split(":");
    if (pkg === "serverless-blocks" && module === "local") return `local ${kind}`;
    const area = module.split("/")[0];
    // Tencent's and the dynamic providers' kinds already say their service: ScfFunction, CosBucket.
    if (area === "" || area === "index" || area === "dynamic" || kind.toLowerCase().startsWith(area.toLowerCase())) return kind;
    return `${area} ${kind}`;
}

/**
 * Resources that only support the others (roles and policies, log groups, invoke permissions,
 * bucket settings, uploaded files, alarms): the picture's "main" view counts them instead of
 * drawing them, unless a flow starts or ends there.
 */
const SUPPORTING = new RegExp(
    "^(" +
        [
            "Role", "RolePolicy", "CamRole", "CamPolicy", "CamRolePolicyAttachment", "LogGroup", "Permission", "Integration", "RouteResponse", "Stage",
            "ApiGatewayServiceRelease", "MetricAlarm", "QueuePolicy", "SecretVersion", "SsmSecretVersion", "CachePolicy", "OriginAccessControl",
            "ResponseHeadersPolicy", "Invocation", "FunctionEventInvokeConfig", "ScfFunctionEventInvokeConfig", "EventTarget", "EbEventTarget",
            "SecurityGroupLiteRule", "RandomPassword", "PrivateKey", "CosBucketObject", "CosBucketPolicy",
            "Bucket(OwnershipControls|PublicAccessBlock|ServerSideEncryptionConfiguration|LifecycleConfiguration|CorsConfiguration|Policy|Object|Objectv2)",
        ].join("|") +
        ")$",
);

export function isSupporting(type: string): boolean {
    return SUPPORTING.test(type.split(":").pop() ?? "");
}
