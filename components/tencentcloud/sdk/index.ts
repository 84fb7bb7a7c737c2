// Thin typed bindings for the Tencent Cloud resources this project uses, registered against the
// parameterized `tencentcloud` package exactly as a generated `@pulumi/tencentcloud` SDK would.
export * from "./package";
export type { BindingSchema, ExistingResourceOptions, InputShape, RequiredInputs } from "./resource-inputs";

export * from "./api-gateway-api";
export * from "./api-gateway-service";
export * from "./api-gateway-service-release";
export * from "./cam-policy";
export * from "./cam-role";
export * from "./cam-role-policy-attachment";
export * from "./cdn-domain";
export * from "./cos-bucket";
export * from "./cos-bucket-object";
export * from "./cos-bucket-policy";
export * from "./cynosdb-cluster";
export * from "./eb-event-bus";
export * from "./eb-event-rule";
export * from "./eb-event-target";
export * from "./scf-function";
export * from "./scf-function-event-invoke-config";
export * from "./scf-trigger";
export * from "./security-group";
export * from "./ssm-secret";
export * from "./ssm-secret-version";
export * from "./subnet";
export * from "./tcmq-queue";
export * from "./vpc";
