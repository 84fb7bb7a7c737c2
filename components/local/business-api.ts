// BusinessApi on the local target: each route's Function in its worker, and a descriptor
// (./descriptor.ts) of the routes, which the local runtime's gateway (local/api.ts) serves under
// /api on its port the way API Gateway would: JWT on every route not public, CORS, throttling,
// limits. As on AWS, a route's roles reach its function in SB_API_ROLES, checked by the adapter.
import * as pulumi from "@pulumi/pulumi";
import { routeRolesLink } from "../business-api";
import { Function } from "../function";
import type { ApiRouteSpec, BusinessApiRealisation, BusinessApiSpec } from "../provider";
import { LocalDescriptor, type LocalApiDescriptor } from "./descriptor";
import { LOCAL_API_PATH, localUrl } from "./settings";

export function localBusinessApi(parent: pulumi.Resource, spec: BusinessApiSpec): BusinessApiRealisation {
    const baseUrl = localUrl();
    const functionNames = spec.routes.map((route) => new Function(route.functionName, withRoles(spec.name, route), { parent }).functionName);
    const jwt = spec.jwt ? pulumi.output({ issuer: spec.jwt.issuer, audience: spec.jwt.audience, jwksUrl: spec.jwt.jwksUrl }) : pulumi.output(undefined);
    const described = pulumi.all([pulumi.all(functionNames), jwt]).apply(([names, settings]): LocalApiDescriptor => ({
        name: spec.name,
        routes: spec.routes.map((route, i) => ({ key: route.key, method: route.method, path: route.path, functionName: names[i], auth: route.auth, roles: route.roles })),
        cors: spec.cors,
        jwt: settings,
        throttle: spec.throttle,
    }));
    new LocalDescriptor("Api", spec.name, described, parent);
    return {
        url: described.apply(() => `${baseUrl}${LOCAL_API_PATH}`),
        resourceId: described.apply((d) => `local:api:${d.name}`),
    };
}

/** The route's Function args, with its roles (if any) in the environment for the adapter. */
function withRoles(api: string, route: ApiRouteSpec): ApiRouteSpec["function"] {
    const roles = routeRolesLink(api, route);
    return roles ? { ...route.function, link: [...(route.function.link ?? []), roles] } : route.function;
}
