// Tencent resources that take a name of ours (an EB bus, a CMQ queue, an API Gateway service) must
// not collide when two stacks of the app share an account and region: their names carry the stack.
import * as pulumi from "@pulumi/pulumi";
import { ConfigError } from "../config";

export function stackScoped(name: string): string {
    return `${pulumi.getStack()}-${name}`;
}

/** The API Gateway console's limits on names: services 50 characters, APIs 60. */
export const GATEWAY_NAME_LIMITS = { service: 50, api: 60 };

/**
 * `name` as an API Gateway service or API name: a letter first, then letters, digits and `_`
 * (other characters become `_`), at most `max`; a ConfigError naming `key` and what to shorten otherwise.
 */
export function gatewayName(name: string, max: number, key: string, shorten: string): string {
    const sanitised = name.replace(/[^A-Za-z0-9_]/g, "_");
    if (!/^[A-Za-z]/.test(sanitised) || sanitised.length > max) {
        throw new ConfigError(key, sanitised, `Tencent Cloud API Gateway names start with a letter and have at most ${max} letters, digits and '_'; ${shorten}`);
    }
    return sanitised;
}
