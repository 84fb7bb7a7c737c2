// The Tencent Cloud realisation of every component.
import type { CloudProvider } from "../provider";
import { tencentAsyncTask } from "./async-task";
import { tencentEventHub } from "./event-hub";
import { tencentFunction } from "./function";
import { tencentMailer } from "./mailer";

export const tencentProvider: CloudProvider = {
    function: tencentFunction,
    eventHub: tencentEventHub,
    asyncTask: tencentAsyncTask,
    mailer: tencentMailer,
};
