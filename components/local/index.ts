// The local realisation of every component.
import type { CloudProvider } from "../provider";
import { localAlarms } from "./alarms";
import { localAsyncTask } from "./async-task";
import { localAuthSecret } from "./auth-secret";
import { localBusinessApi } from "./business-api";
import { localEventHub } from "./event-hub";
import { localFileUpload } from "./file-upload";
import { localFunction } from "./function";
import { localMailer } from "./mailer";
import { localPaymentWorkflow } from "./payment-workflow";
import { localRealtime } from "./realtime";
import { checkLocalStaticSite, localStaticSite } from "./static-site";
import { localTable } from "./table";

export const localProvider: CloudProvider = {
    authSecret: localAuthSecret,
    function: localFunction,
    eventHub: localEventHub,
    asyncTask: localAsyncTask,
    mailer: localMailer,
    alarms: localAlarms,
    businessApi: localBusinessApi,
    realtime: localRealtime,
    fileUpload: localFileUpload,
    paymentWorkflow: localPaymentWorkflow,
    checkStaticSite: checkLocalStaticSite,
    staticSite: localStaticSite,
    table: localTable,
};
