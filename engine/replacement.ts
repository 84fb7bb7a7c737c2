// Which input changes replace a resource (delete and create) rather than update it in place.
// Tencent Cloud: the provider's own schema says so (forceNew, extracted into
// components/tencentcloud/schema/resources.json). AWS: no schema is bundled, so this lists the
// inputs the AWS provider is known to replace on (its Terraform schema's ForceNew), for the
// resources this project creates (and the random and tls values it generates); an input not listed is taken as an in-place update.
import tencentSchema from "../components/tencentcloud/schema/resources.json";

const AWS_FORCE_NEW: Record<string, readonly string[]> = {
    "aws:lambda/function:Function": ["name"],
    "aws:lambda/permission:Permission": ["action", "function", "principal", "sourceArn", "sourceAccount", "statementId", "qualifier"],
    "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig": ["functionName", "qualifier"],
    "aws:dynamodb/table:Table": ["name", "hashKey", "rangeKey"],
    "aws:sqs/queue:Queue": ["name", "namePrefix", "fifoQueue"],
    "aws:s3/bucket:Bucket": ["bucket", "bucketPrefix"],
    "aws:s3/bucketV2:BucketV2": ["bucket", "bucketPrefix"],
    "aws:s3/bucketObjectv2:BucketObjectv2": ["bucket", "key"],
    "aws:cloudwatch/eventBus:EventBus": ["name"],
    "aws:cloudwatch/eventRule:EventRule": ["name", "namePrefix", "eventBusName"],
    "aws:cloudwatch/eventTarget:EventTarget": ["rule", "targetId", "eventBusName"],
    "aws:cloudwatch/eventArchive:EventArchive": ["name", "eventSourceArn"],
    "aws:cloudwatch/logGroup:LogGroup": ["name", "namePrefix"],
    "aws:iam/role:Role": ["name", "namePrefix", "path"],
    "aws:iam/rolePolicy:RolePolicy": ["name", "namePrefix", "role"],
    "aws:apigatewayv2/api:Api": ["protocolType"],
    "aws:apigatewayv2/stage:Stage": ["apiId", "name"],
    "aws:apigatewayv2/route:Route": ["apiId"],
    "aws:apigatewayv2/integration:Integration": ["apiId", "integrationType"],
    "aws:apigatewayv2/authorizer:Authorizer": ["apiId"],
    "aws:sfn/stateMachine:StateMachine": ["name", "namePrefix", "type"],
    "aws:secretsmanager/secret:Secret": ["name", "namePrefix"],
    "aws:sesv2/emailIdentity:EmailIdentity": ["emailIdentity"],
    // Generated values: any change of how they are made makes a new one.
    "random:index/randomPassword:RandomPassword": ["length", "special", "upper", "lower", "numeric", "minLower", "minUpper", "minNumeric", "minSpecial", "overrideSpecial", "keepers"],
    "tls:index/privateKey:PrivateKey": ["algorithm", "ecdsaCurve", "rsaBits"],
};

type Schema = { resources: Record<string, { inputs?: Record<string, { forceNew?: boolean }> }> };
const tencent = tencentSchema as unknown as Schema;

/** Whether changing input `key` of a resource of `type` makes the provider replace it. */
export function forcesReplacement(type: string, key: string): boolean {
    if (AWS_FORCE_NEW[type]?.includes(key)) return true;
    return tencent.resources[type]?.inputs?.[key]?.forceNew === true;
}
