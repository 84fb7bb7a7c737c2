// Mailer on the local target: each message is a JSON file in the outbox under the runtime's data
// directory, to read or assert on.
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { linkVariable } from "../link";
import type { MailerRealisation, MailerSpec } from "../provider";
import { localDataDir } from "./settings";

export function localMailer(_parent: pulumi.Resource, spec: MailerSpec): MailerRealisation {
    const outbox = path.join(localDataDir(), "outbox", spec.name);
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
