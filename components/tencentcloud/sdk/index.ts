// Thin typed bindings for the Tencent Cloud resources this project uses, registered against the
// parameterized `tencentcloud` package exactly as a generated `@pulumi/tencentcloud` SDK would.
export * from "./package";
export type { BindingSchema, ExistingResourceOptions, InputShape, RequiredInputs } from "./resource-inputs";

export * from "./cam-policy";
export * from "./cam-role";
export * from "./cam-role-policy-attachment";
export * from "./eb-event-bus";
export * from "./eb-event-rule";
export * from "./eb-event-target";
export * from "./scf-function";
export * from "./scf-function-event-invoke-config";
export * from "./scf-trigger";
export * from "./tcmq-queue";
