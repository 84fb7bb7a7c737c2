// The Tencent Cloud realisation of every component.
import type { CloudProvider } from "../provider";
import { tencentAlarms } from "./alarms";
import { tencentAsyncTask } from "./async-task";
import { tencentAuthSecret } from "./auth-secret";
import { tencentBusinessApi } from "./business-api";
import { tencentEventHub } from "./event-hub";
import { tencentFileUpload } from "./file-upload";
import { tencentFunction } from "./function";
import { tencentMailer } from "./mailer";
import { checkTencentPaymentWorkflow, tencentPaymentWorkflow } from "./payment-workflow";
import { tencentRealtime } from "./realtime";
import { checkTencentStaticSite, tencentStaticSite } from "./static-site";
import { tencentTable } from "./table";

export const tencentProvider: CloudProvider = {
    authSecret: tencentAuthSecret,
    function: tencentFunction,
    eventHub: tencentEventHub,
    asyncTask: tencentAsyncTask,
    mailer: tencentMailer,
    alarms: tencentAlarms,
    businessApi: tencentBusinessApi,
    fileUpload: tencentFileUpload,
    realtime: tencentRealtime,
    checkPaymentWorkflow: checkTencentPaymentWorkflow,
    paymentWorkflow: tencentPaymentWorkflow,
    checkStaticSite: checkTencentStaticSite,
    staticSite: tencentStaticSite,
    table: tencentTable,
};
