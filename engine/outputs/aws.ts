// Realistic outputs of the AWS resources the components use: names, ARNs, URLs as AWS forms them.
import { autoName, AWS_ACCOUNT, digest, Realiser, ResourceFacts } from "./common";

const aws = (f: ResourceFacts) => ({ region: f.region, account: AWS_ACCOUNT });

export const awsRealisers: Record<string, Realiser> = {
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
                name, arn, qualifiedArn: `${arn}:$LATEST`, version: "$LATEST",
                invokeArn: `arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/${arn}/invocations`,
            },
        };
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
};

