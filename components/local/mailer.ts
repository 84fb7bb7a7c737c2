// Mailer on the local target: each message is a JSON file in the outbox, to read or assert on.
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { localRuntime } from "../../local/runtime";
import { linkVariable } from "../link";
import type { MailerRealisation, MailerSpec } from "../provider";

export function localMailer(_parent: pulumi.Resource, spec: MailerSpec): MailerRealisation {
    const outbox = path.join(localRuntime().dataDir, "outbox", spec.name);
    return {
        link: {
            type: "mailer",
            name: spec.name,
            environment: {
                [linkVariable("mailer", spec.name, "from")]: spec.from,
                [linkVariable("mailer", spec.name, "outbox")]: outbox,
            },
            permissions: [{ actions: ["send"], resources: [`local:mailer:${spec.name}`] }],
        },
    };
}
