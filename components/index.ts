// The public surface: every component, and the helpers their args need. This is also the
// component provider's entry for other languages: PulumiPlugin.yaml + package.json `main`.
export { Function } from "./function";
export type { FunctionArgs } from "./function";
export type { Link, LinkPermission } from "./link";
export { closure } from "./build/closure";
export { EventHub } from "./event-hub";
export type { EventHubArgs } from "./event-hub";
export { AsyncTask } from "./async-task";
export type { AsyncTaskArgs, HubSubscription } from "./async-task";
export { Alarms } from "./alarms";
export type { AlarmsArgs, AlarmTarget } from "./alarms";
export { Mailer } from "./mailer";
export type { MailerArgs } from "./mailer";
export { StaticSite } from "./static-site";
export type { DnsRecord, StaticSiteArgs, StaticSiteBuild, StaticSiteSsr } from "./static-site";
export { Table } from "./table";
export type { TableArgs, TableNetworkArgs } from "./table";
export { BusinessApi, routeFunctionName } from "./business-api";
export type { ApiCors, ApiJwt, ApiRoute, ApiThrottle, BusinessApiArgs } from "./business-api";
export { Auth } from "./auth";
export type { AuthArgs, AuthJwt, AuthProvider } from "./auth";
export { Realtime } from "./realtime";
export type { RealtimeArgs, RealtimeHandler } from "./realtime";
export { FileUpload } from "./file-upload";
export type { FileUploadArgs, FileUploadHandler } from "./file-upload";
export { PaymentWorkflow } from "./payment-workflow";
export type { PaymentWorkflowArgs } from "./payment-workflow";
