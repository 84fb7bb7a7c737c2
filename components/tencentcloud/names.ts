// Tencent resources that take a name of ours (an EB bus, a CMQ queue, an API Gateway service) must
// not collide when two stacks of the app share an account and region: their names carry the stack.
import * as pulumi from "@pulumi/pulumi";

export function stackScoped(name: string): string {
    return `${pulumi.getStack()}-${name}`;
}
