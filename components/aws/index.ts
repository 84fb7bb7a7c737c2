// The AWS realisation of every component.
import type { CloudProvider } from "../provider";
import { awsAlarms } from "./alarms";
import { awsAsyncTask } from "./async-task";
import { awsAuthCognito } from "./auth-cognito";
import { awsAuthSecret } from "./auth-secret";
import { awsBusinessApi } from "./business-api";
import { awsEventHub } from "./event-hub";
import { awsFileUpload } from "./file-upload";
import { awsFunction } from "./function";
import { awsMailer } from "./mailer";
import { awsPaymentWorkflow } from "./payment-workflow";
import { awsRealtime } from "./realtime";
import { awsStaticSite, checkAwsStaticSite } from "./static-site";
import { awsTable } from "./table";

export const awsProvider: CloudProvider = {
    authSecret: awsAuthSecret,
    authCognito: awsAuthCognito,
    function: awsFunction,
    eventHub: awsEventHub,
    asyncTask: awsAsyncTask,
    mailer: awsMailer,
    alarms: awsAlarms,
    businessApi: awsBusinessApi,
    realtime: awsRealtime,
    fileUpload: awsFileUpload,
    paymentWorkflow: awsPaymentWorkflow,
    checkStaticSite: checkAwsStaticSite,
    staticSite: awsStaticSite,
    table: awsTable,
};
