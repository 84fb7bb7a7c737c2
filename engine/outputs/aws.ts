// Realistic outputs of the AWS resources the components use: names, ARNs, URLs as AWS forms them.
import { autoName, AWS_ACCOUNT, digest, Realiser, ResourceFacts } from "./common";

const aws = (f: ResourceFacts) => ({ region: f.region, account: AWS_ACCOUNT });
/** A UUID-shaped id, stable per URN (CloudFront policy ids, ACM certificate ids). */
/** Letters and digits, stable per URN (Cognito pool and client ids). */
const alphanumeric = (f: ResourceFacts, length: number) =>
    Buffer.from(digest(f.urn + "alnum", 64), "hex").toString("base64").replace(/[^A-Za-z0-9]/g, "").padEnd(length, "7").slice(0, length);
const uuid = (f: ResourceFacts) => digest(f.urn, 32).replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, "$1-$2-$3-$4-$5");

export const awsRealisers: Record<string, Realiser> = {
    // Table: DynamoDB table names are 3-255 characters; the ARN names the table.
    "aws:dynamodb/table:Table": (f) => {
        const name = f.inputs.name ?? autoName(f, 255);
        const { region, account } = aws(f);
        return { id: name, state: { name, arn: `arn:aws:dynamodb:${region}:${account}:table/${name}` } };
    },
    "aws:iam/role:Role": (f) => {
        const name = f.inputs.name ?? autoName(f);
        return { id: name, state: { name, arn: `arn:aws:iam::${AWS_ACCOUNT}:role/${name}`, uniqueId: `AROA${digest(f.urn, 17).toUpperCase()}` } };
    },
    "aws:iam/rolePolicy:RolePolicy": (f) => {
        const name = f.inputs.name ?? autoName(f);
        return { id: `${f.inputs.role}:${name}`, state: { name } };
    },
    "aws:cloudwatch/logGroup:LogGroup": (f) => {
        const name = f.inputs.name ?? autoName(f, 512);
        const { region, account } = aws(f);
        return { id: name, state: { name, arn: `arn:aws:logs:${region}:${account}:log-group:${name}` } };
    },
    "aws:lambda/function:Function": (f) => {
        const name = f.inputs.name ?? autoName(f);
        const { region, account } = aws(f);
        const arn = `arn:aws:lambda:${region}:${account}:function:${name}`;
        return {
            id: name,
            state: {
                // With `publish`, the first published version (a function's versions count up from 1).
                name, arn, qualifiedArn: `${arn}:${f.inputs.publish ? "1" : "$LATEST"}`, version: f.inputs.publish ? "1" : "$LATEST",
                invokeArn: `arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/${arn}/invocations`,
            },
        };
    },
    // An alias's ARN is its function's ARN qualified by the alias name.
    "aws:lambda/alias:Alias": (f) => {
        const { region, account } = aws(f);
        const arn = `arn:aws:lambda:${region}:${account}:function:${f.inputs.functionName}:${f.inputs.name}`;
        return { id: arn, state: { arn, invokeArn: `arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/${arn}/invocations` } };
    },
    "aws:sqs/queue:Queue": (f) => {
        const name = f.inputs.name ?? autoName(f, 80);
        const { region, account } = aws(f);
        const url = `https://sqs.${region}.amazonaws.com/${account}/${name}`;
        return { id: url, state: { name, url, arn: `arn:aws:sqs:${region}:${account}:${name}` } };
    },
    "aws:sqs/queuePolicy:QueuePolicy": (f) => ({ id: f.inputs.queueUrl, state: {} }),
    "aws:cloudwatch/eventBus:EventBus": (f) => {
        const name = f.inputs.name ?? autoName(f, 256);
        const { region, account } = aws(f);
        return { id: name, state: { name, arn: `arn:aws:events:${region}:${account}:event-bus/${name}` } };
    },
    "aws:cloudwatch/eventArchive:EventArchive": (f) => {
        const name = f.inputs.name ?? autoName(f, 48);
        const { region, account } = aws(f);
        return { id: name, state: { name, arn: `arn:aws:events:${region}:${account}:archive/${name}` } };
    },
    "aws:cloudwatch/eventRule:EventRule": (f) => {
        // A rule on a custom bus carries the bus in its ARN and id; on the default bus it does not.
        const name = f.inputs.name ?? autoName(f);
        const bus = f.inputs.eventBusName ?? "default";
        const path = bus === "default" ? name : `${bus}/${name}`;
        const { region, account } = aws(f);
        return { id: path, state: { name, eventBusName: bus, arn: `arn:aws:events:${region}:${account}:rule/${path}` } };
    },
    "aws:cloudwatch/eventTarget:EventTarget": (f) => {
        const targetId = f.inputs.targetId ?? autoName(f);
        const bus = f.inputs.eventBusName ?? "default";
        const id = bus === "default" ? `${f.inputs.rule}-${targetId}` : `${bus}/${f.inputs.rule}/${targetId}`;
        return { id, state: { targetId, eventBusName: bus } };
    },
    "aws:lambda/permission:Permission": (f) => {
        const statementId = f.inputs.statementId ?? autoName(f, 100);
        return { id: statementId, state: { statementId } };
    },
    "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig": (f) => ({
        id: f.inputs.qualifier ? `${f.inputs.functionName}:${f.inputs.qualifier}` : f.inputs.functionName,
        state: {},
    }),
    "aws:cloudwatch/metricAlarm:MetricAlarm": (f) => {
        const name = f.inputs.name ?? autoName(f, 255);
        const { region, account } = aws(f);
        return { id: name, state: { name, arn: `arn:aws:cloudwatch:${region}:${account}:alarm:${name}` } };
    },
    // API Gateway v2 ids are 10 lower-case letters and digits; the API's ARN has no account, its execution ARN does.
    "aws:apigatewayv2/api:Api": (f) => {
        const id = digest(f.urn, 10);
        const name = f.inputs.name ?? autoName(f, 128);
        const { region, account } = aws(f);
        return {
            id,
            state: {
                name,
                // A WebSocket API's endpoint is wss://, an HTTP API's https:// (the provider's apiEndpoint).
                apiEndpoint: `${f.inputs.protocolType === "WEBSOCKET" ? "wss" : "https"}://${id}.execute-api.${region}.amazonaws.com`,
                arn: `arn:aws:apigateway:${region}::/apis/${id}`,
                executionArn: `arn:aws:execute-api:${region}:${account}:${id}`,
            },
        };
    },
    "aws:apigatewayv2/stage:Stage": (f) => {
        const name = f.inputs.name ?? autoName(f, 128);
        const { region, account } = aws(f);
        const apiId = f.inputs.apiId;
        return {
            id: name,
            state: {
                name,
                arn: `arn:aws:apigateway:${region}::/apis/${apiId}/stages/${name}`,
                executionArn: `arn:aws:execute-api:${region}:${account}:${apiId}/${name}`,
                invokeUrl: `https://${apiId}.execute-api.${region}.amazonaws.com/${name === "$default" ? "" : name}`,
            },
        };
    },
    "aws:apigatewayv2/integration:Integration": (f) => ({ id: digest(f.urn, 7), state: {} }),
    "aws:apigatewayv2/route:Route": (f) => ({ id: digest(f.urn, 7), state: {} }),
    "aws:apigatewayv2/authorizer:Authorizer": (f) => ({ id: digest(f.urn, 6), state: { name: f.inputs.name ?? autoName(f, 128) } }),
    // StaticSite. S3 ARNs carry no region or account; bucket names are lower case.
    "aws:s3/bucket:Bucket": (f) => {
        const bucket = f.inputs.bucket ?? autoName(f, 63).toLowerCase();
        return {
            id: bucket,
            state: { bucket, arn: `arn:aws:s3:::${bucket}`, bucketDomainName: `${bucket}.s3.amazonaws.com`, bucketRegionalDomainName: `${bucket}.s3.${f.region}.amazonaws.com`, region: f.region },
        };
    },
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": (f) => ({ id: f.inputs.bucket, state: {} }),
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": (f) => ({ id: f.inputs.bucket, state: {} }),
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": (f) => ({ id: f.inputs.bucket, state: {} }),
    "aws:s3/bucketPolicy:BucketPolicy": (f) => ({ id: f.inputs.bucket, state: {} }),
    "aws:s3/bucketObjectv2:BucketObjectv2": (f) => ({ id: `${f.inputs.bucket}/${f.inputs.key}`, state: { etag: f.inputs.sourceHash ?? digest(f.urn, 32), versionId: "" } }),
    // CloudFront ids are E + 13 upper-case letters and digits; its ARNs are global (no region).
    "aws:cloudfront/distribution:Distribution": (f) => {
        const id = `E${digest(f.urn, 13).toUpperCase()}`;
        return {
            id,
            state: {
                arn: `arn:aws:cloudfront::${AWS_ACCOUNT}:distribution/${id}`,
                domainName: `d${digest(f.urn + "domain", 13)}.cloudfront.net`,
                hostedZoneId: "Z2FDTNDATAQYW2", // every distribution's (Route 53 alias targets)
                status: "Deployed",
                etag: `E${digest(f.urn + "etag", 13).toUpperCase()}`,
            },
        };
    },
    "aws:cloudfront/originAccessControl:OriginAccessControl": (f) => ({ id: `E${digest(f.urn, 13).toUpperCase()}`, state: { name: f.inputs.name ?? autoName(f, 64) } }),
    "aws:cloudfront/cachePolicy:CachePolicy": (f) => ({ id: uuid(f), state: { name: f.inputs.name ?? autoName(f, 128) } }),
    "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy": (f) => ({ id: uuid(f), state: { name: f.inputs.name ?? autoName(f, 128) } }),
    "aws:cloudfront/function:Function": (f) => {
        const name = f.inputs.name ?? autoName(f, 64);
        return { id: name, state: { name, arn: `arn:aws:cloudfront::${AWS_ACCOUNT}:function/${name}`, status: "DEPLOYED", liveStageEtag: `E${digest(f.urn, 13).toUpperCase()}` } };
    },
    "aws:lambda/functionUrl:FunctionUrl": (f) => {
        const urlId = digest(f.urn, 32);
        return { id: f.inputs.functionName, state: { urlId, functionUrl: `https://${urlId}.lambda-url.${f.region}.on.aws/`, functionArn: `arn:aws:lambda:${f.region}:${AWS_ACCOUNT}:function:${f.inputs.functionName}` } };
    },
    "aws:lambda/invocation:Invocation": (f) => ({ id: `${f.inputs.functionName}_$LATEST_${digest(String(f.inputs.input), 32)}`, state: { result: "{}" } }),
    // Auth's secret. A secret's ARN ends in `-` and six random characters Secrets Manager adds to its name.
    "aws:secretsmanager/secret:Secret": (f) => {
        const name = f.inputs.name ?? autoName(f, 512);
        const { region, account } = aws(f);
        const arn = `arn:aws:secretsmanager:${region}:${account}:secret:${name}-${digest(f.urn, 6)}`;
        return { id: arn, state: { name, arn } };
    },
    // The provider's id is `<secret ARN>|<version id>`; a new version becomes AWSCURRENT.
    "aws:secretsmanager/secretVersion:SecretVersion": (f) => {
        const versionId = uuid(f);
        return { id: `${f.inputs.secretId}|${versionId}`, state: { arn: f.inputs.secretId, versionId, versionStages: ["AWSCURRENT"] } };
    },
    // Auth's Cognito mode. A pool id is `<region>_` and 9 letters and digits; an app client id 26.
    "aws:cognito/userPool:UserPool": (f) => {
        const { region, account } = aws(f);
        const id = `${region}_${alphanumeric(f, 9)}`;
        return {
            id,
            state: {
                name: f.inputs.name ?? autoName(f, 128),
                arn: `arn:aws:cognito-idp:${region}:${account}:userpool/${id}`,
                endpoint: `cognito-idp.${region}.amazonaws.com/${id}`,
                domain: "",
                estimatedNumberOfUsers: 0,
                creationDate: "2026-01-01T00:00:00Z",
                lastModifiedDate: "2026-01-01T00:00:00Z",
            },
        };
    },
    "aws:cognito/userPoolClient:UserPoolClient": (f) => ({ id: alphanumeric(f, 26).toLowerCase(), state: { name: f.inputs.name ?? autoName(f, 128), clientSecret: "" } }),
    // A Cognito domain is served by a CloudFront distribution Cognito manages.
    "aws:cognito/userPoolDomain:UserPoolDomain": (f) => ({
        id: f.inputs.domain,
        state: {
            awsAccountId: AWS_ACCOUNT,
            cloudfrontDistribution: `d${digest(f.urn, 13)}.cloudfront.net`,
            cloudfrontDistributionArn: `d${digest(f.urn, 13)}.cloudfront.net`,
            cloudfrontDistributionZoneId: "Z2FDTNDATAQYW2",
            s3Bucket: `aws-cognito-prod-${f.region}-assets`,
            version: "20260101000000",
        },
    }),
    "aws:cognito/identityProvider:IdentityProvider": (f) => ({ id: `${f.inputs.userPoolId}:${f.inputs.providerName}`, state: {} }),
    // ACM: the certificate's region may differ from the stack's (CloudFront's live in us-east-1).
    "aws:acm/certificate:Certificate": (f) => {
        const region = f.inputs.region ?? f.region;
        const token = digest(f.urn, 32);
        const domain = f.inputs.domainName;
        return {
            id: `arn:aws:acm:${region}:${AWS_ACCOUNT}:certificate/${uuid(f)}`,
            state: {
                arn: `arn:aws:acm:${region}:${AWS_ACCOUNT}:certificate/${uuid(f)}`,
                status: "ISSUED",
                domainValidationOptions: [{
                    domainName: domain,
                    resourceRecordName: `_${token}.${domain}.`,
                    resourceRecordType: "CNAME",
                    resourceRecordValue: `_${digest(f.urn + "value", 32)}.xlfgrmvvlj.acm-validations.aws.`,
                }],
            },
        };
    },
    "aws:acm/certificateValidation:CertificateValidation": (f) => ({ id: f.inputs.certificateArn, state: { certificateArn: f.inputs.certificateArn } }),
    "aws:route53/record:Record": (f) => {
        const fqdn = String(f.inputs.name).replace(/\.$/, "");
        return { id: `${f.inputs.zoneId}_${fqdn}_${f.inputs.type}`, state: { fqdn } };
    },
};

