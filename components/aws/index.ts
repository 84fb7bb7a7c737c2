// The AWS realisation of every component.
import type { CloudProvider } from "../provider";
import { awsAsyncTask } from "./async-task";
import { awsEventHub } from "./event-hub";
import { awsFunction } from "./function";
import { awsMailer } from "./mailer";

export const awsProvider: CloudProvider = {
    function: awsFunction,
    eventHub: awsEventHub,
    asyncTask: awsAsyncTask,
    mailer: awsMailer,
};
