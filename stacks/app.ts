// The typical application, composed from the components. `pulumi up` deploys it to the stack's
// cloud; `npm start` runs it on this machine; `npm run plan` shows what either would create.
import * as pulumi from "@pulumi/pulumi";
import { AsyncTask, closure, EventHub, Function, Mailer } from "../components";
import { http } from "../functions/runtime";

export default function app() {
    const config = new pulumi.Config("serverless-blocks");

    // Services talk through the hub: a registration is an event, and what follows subscribes to it.
    const hub = new EventHub("events", { archiveRetentionDays: config.getNumber("eventArchiveDays") ?? 30 });
    const mail = new Mailer("mail", {
        from: config.get("mailFrom") ?? "hello@example.com",
        templateIds: config.getObject<Record<string, number>>("mailTemplateIds") ?? {},
    });

    const register = new Function("register", {
        handler: "functions/users/register.handler",
        link: [hub.link],
        description: "Registers a user and announces it on the hub",
    });
    const welcome = new AsyncTask("send-welcome-email", {
        handler: "functions/users/welcome-email.handler",
        subscribe: { hub: hub.link, pattern: JSON.stringify({ "detail-type": ["UserRegistered"] }) },
        link: [mail.link],
        retries: 2,
        description: "Sends the welcome email after a user registers",
    });

    const greet = new Function("greet", {
        handler: "functions/hello/greet.handler",
        description: "Greets a caller by name",
    });
    // An inline handler: code that lives beside the infrastructure it belongs to.
    const about = new Function("about", {
        code: closure(http(async () => ({
            service: "serverless-blocks",
            greeter: process.env.SB_FUNCTION_GREET_NAME,
        }))),
        link: [greet.link],
        description: "Describes the service and the functions it links",
    });

    return {
        hub: hub.busName,
        registerFunction: register.functionName,
        welcomeEmailDeadLetters: welcome.deadLetterQueue,
        greetFunction: greet.functionName,
        aboutFunction: about.functionName,
    };
}
