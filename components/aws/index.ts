// The AWS realisation of every component.
import type { CloudProvider } from "../provider";
import { awsAsyncTask } from "./async-task";
import { awsAuthCognito } from "./auth-cognito";
import { awsAuthSecret } from "./auth-secret";
import { awsBusinessApi } from "./business-api";
import { awsEventHub } from "./event-hub";
import { awsFunction } from "./function";
import { awsMailer } from "./mailer";
import { awsStaticSite, checkAwsStaticSite } from "./static-site";
import { awsTable } from "./table";

export const awsProvider: CloudProvider = {
    authSecret: awsAuthSecret,
    authCognito: awsAuthCognito,
    function: awsFunction,
    eventHub: awsEventHub,
    asyncTask: awsAsyncTask,
    mailer: awsMailer,
    businessApi: awsBusinessApi,
    checkStaticSite: checkAwsStaticSite,
    staticSite: awsStaticSite,
    table: awsTable,
};
