// BusinessApi on the local target: each route's Function in its worker, and the routes
// registered with the local runtime's gateway (local/api.ts), which serves them under /api on
// the runtime's port the way API Gateway would: JWT on auth routes, CORS, throttling, limits.
import * as pulumi from "@pulumi/pulumi";
import { API_PREFIX, localApiGateway } from "../../local/api";
import { localRuntime } from "../../local/runtime";
import { Function } from "../function";
import type { BusinessApiRealisation, BusinessApiSpec } from "../provider";

export function localBusinessApi(parent: pulumi.Resource, spec: BusinessApiSpec): BusinessApiRealisation {
    const runtime = localRuntime(); // the evaluation's runtime, also when the apply runs later
    const functionNames = spec.routes.map((route) => new Function(route.functionName, route.function, { parent }).functionName);
    const jwt = spec.jwt ? pulumi.output({ issuer: spec.jwt.issuer, audience: spec.jwt.audience, jwksUrl: spec.jwt.jwksUrl }) : pulumi.output(undefined);
    const registered = pulumi.all([pulumi.all(functionNames), jwt]).apply(([names, settings]) => {
        localApiGateway(runtime).register({
            name: spec.name,
            routes: spec.routes.map((route, i) => ({ key: route.key, method: route.method, path: route.path, functionName: names[i], auth: route.auth })),
            cors: spec.cors,
            jwt: settings,
            throttle: spec.throttle,
        });
        return spec.name;
    });
    return {
        url: registered.apply(() => `${runtime.baseUrl}${API_PREFIX}`),
        resourceId: registered.apply((name) => `local:api:${name}`),
    };
}

