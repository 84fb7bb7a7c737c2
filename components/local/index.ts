// The local realisation of every component.
import type { CloudProvider } from "../provider";
import { localAsyncTask } from "./async-task";
import { localEventHub } from "./event-hub";
import { localFunction } from "./function";
import { localMailer } from "./mailer";

export const localProvider: CloudProvider = {
    function: localFunction,
    eventHub: localEventHub,
    asyncTask: localAsyncTask,
    mailer: localMailer,
};
