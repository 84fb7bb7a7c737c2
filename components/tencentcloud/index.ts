// The Tencent Cloud realisation of every component.
import type { CloudProvider } from "../provider";
import { tencentAlarms } from "./alarms";
import { checkTencentAsyncTask, tencentAsyncTask } from "./async-task";
import { tencentAuthSecret } from "./auth-secret";
import { checkTencentBusinessApi, tencentBusinessApi } from "./business-api";
import { checkTencentEventHub, tencentEventHub } from "./event-hub";
import { tencentFileUpload } from "./file-upload";
import { tencentFunction } from "./function";
import { clsPeriod } from "./function-logs";
import { tencentMailer } from "./mailer";
import { checkTencentPaymentWorkflow, tencentPaymentWorkflow } from "./payment-workflow";
import { tencentRealtime } from "./realtime";
import { checkTencentStaticSite, tencentStaticSite } from "./static-site";
import { tencentTable } from "./table";

export const tencentProvider: CloudProvider = {
    authSecret: tencentAuthSecret,
    // CLS keeps logs at most 3600 days: a ten-year retention is refused before the Function registers.
    checkFunction: (spec) => void clsPeriod(spec.name, spec.logRetentionDays),
    function: tencentFunction,
    checkEventHub: checkTencentEventHub,
    eventHub: tencentEventHub,
    checkAsyncTask: checkTencentAsyncTask,
    asyncTask: tencentAsyncTask,
    mailer: tencentMailer,
    alarms: tencentAlarms,
    checkBusinessApi: checkTencentBusinessApi,
    businessApi: tencentBusinessApi,
    fileUpload: tencentFileUpload,
    realtime: tencentRealtime,
    checkPaymentWorkflow: checkTencentPaymentWorkflow,
    paymentWorkflow: tencentPaymentWorkflow,
    checkStaticSite: checkTencentStaticSite,
    staticSite: tencentStaticSite,
    table: tencentTable,
};
