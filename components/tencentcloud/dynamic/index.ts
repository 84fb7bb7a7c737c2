// Pulumi dynamic resources over Tencent Cloud API 3.0, for what terraform-provider-tencentcloud
// does not do (or does wrong): a base any product's resource builds on (./provider.ts), and the
// resources built on it.
export { api3Client, isApiError, type Api3Access, type Api3Call, type Api3Product, type ApiError } from "./client";
export { CREDENTIAL_CONFIG, CREDENTIAL_ENV, MISSING_CREDENTIALS, resolveCredential, resolveRegion, type ConfigReader } from "./credentials";
export { diffInputs, type InputRules } from "./diff";
export { RESOURCE_INIT_FAILED, resourceInitError, tencentDynamicProvider, type ResourceInitError, type TencentContext, type TencentProviderOptions, type TencentResourceKind } from "./provider";
export {
    ApiGatewayWebSocketApi,
    WEBSOCKET_API_TYPE,
    websocketApiProvider,
    type ApiGatewayWebSocketApiArgs,
    type ScfFunctionRef,
    type ScfFunctionRefArgs,
    type WebSocketApiInputs,
    type WebSocketApiOutputs,
} from "./websocket-api";
