// The typical application, composed from the components. `pulumi up` deploys it to the stack's
// cloud; `npm start` runs it on this machine; `npm run plan` shows what either would create.
import * as pulumi from "@pulumi/pulumi";
import { AsyncTask, BusinessApi, closure, EventHub, Function, Mailer, StaticSite, Table } from "../components";
import { http } from "../functions/runtime";

export function app() {
    const config = new pulumi.Config("serverless-blocks");

    // Services talk through the hub: a registration is an event, and what follows subscribes to it.
    const hub = new EventHub("events", { archiveRetentionDays: config.getNumber("eventArchiveDays") ?? 30 });
    const mail = new Mailer("mail", {
        from: config.get("mailFrom") ?? "hello@example.com",
        templateIds: config.getObject<Record<string, number>>("mailTemplateIds") ?? {},
    });
    const users = new Table("users", { partitionKey: "userId" });
    const orders = new Table("orders", { partitionKey: "userId", sortKey: "orderId" });

    const api = new BusinessApi("shop", {
        // Public for now: routes need a token unless `public: true`, and sign-in (Auth) is not wired yet.
        routes: {
            "POST /users": { handler: "functions/users/register.handler", link: [users.link, hub.link], public: true },
            "GET /users/{userId}": { handler: "functions/users/get-profile.handler", link: [users.link], public: true },
            "POST /users/{userId}/orders": { handler: "functions/orders/create.handler", link: [users.link, orders.link, hub.link], public: true },
            "GET /users/{userId}/orders": { handler: "functions/orders/list.handler", link: [orders.link], public: true },
            "GET /users/{userId}/orders/{orderId}": { handler: "functions/orders/get.handler", link: [orders.link], public: true },
            "GET /hello": { handler: "functions/hello/greet.handler", public: true },
        },
        cors: { allowOrigins: config.getObject<string[]>("corsOrigins") ?? ["http://127.0.0.1:3000", "http://localhost:3000"] },
    });

    const welcome = new AsyncTask("send-welcome-email", {
        handler: "functions/users/welcome-email.handler",
        subscribe: { hub: hub.link, pattern: JSON.stringify({ "detail-type": ["UserRegistered"] }) },
        link: [mail.link],
        retries: 2,
        description: "Sends the welcome email after a user registers",
    });

    // An inline handler: code that lives beside the infrastructure it belongs to.
    const about = new Function("about", {
        code: closure(http(async () => ({ service: "serverless-blocks", hub: process.env.SB_HUB_EVENTS_NAME }))),
        link: [hub.link],
        description: "Describes the service",
    });

    // The browser reads where the API is from /config.json: one build serves every stack.
    const site = new StaticSite("web", { path: "web", config: { apiUrl: api.url } });

    return {
        siteUrl: site.url,
        apiUrl: api.url,
        hub: hub.busName,
        usersTable: users.tableName,
        ordersTable: orders.tableName,
        welcomeEmailDeadLetters: welcome.deadLetterQueue,
        aboutFunction: about.functionName,
    };
}
