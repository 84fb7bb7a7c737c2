// PaymentWorkflow on the local target: the same definition (components/payment/definition.ts),
// executed by the local runtime (local/workflows/) with aws-local-stepfunctions, each Task state
// bound to a local Function. A descriptor (./descriptor.ts) carries the definition and the
// functions it may invoke; executions are kept in SQLite under the data directory, so a restart of
// `npm start` resumes them. The links grant runtime calls, checked there as a cloud's policy
// would: start and read executions of `local:workflow:<name>`, read the payments table, and in
// callback mode resume this workflow's task-token waits.
import * as pulumi from "@pulumi/pulumi";
import type { Link } from "../link";
import { paymentDefinition, taskRoles, type DefinitionTarget, type TaskRole } from "../payment/definition";
import type { PaymentWorkflowRealisation, PaymentWorkflowSpec } from "../provider";
import { LOCAL_FUNCTION_RESOURCE, LOCAL_WAIT_FOR_TOKEN_RESOURCE, LocalDescriptor, type LocalWorkflowDescriptor } from "./descriptor";

/**
 * Errors of the local invoke itself worth retrying: none. AWS retries Lambda's throttling and
 * service faults; a local worker is never throttled, and a runtime that stops mid-task does not
 * fail the state (the execution resumes from it at the next start).
 */
export const LOCAL_SERVICE_ERRORS: readonly string[] = [];

export function localPaymentWorkflow(parent: pulumi.Resource, spec: PaymentWorkflowSpec): PaymentWorkflowRealisation {
    const resourceId = `local:workflow:${spec.name}`;
    const roles = taskRoles(spec.definition);
    const names = pulumi.all(Object.fromEntries(roles.map((role) => [role, taskOf(spec, role).functionName]))) as pulumi.Output<Record<TaskRole, string>>;
    const described = names.apply((byRole): LocalWorkflowDescriptor => ({
        name: spec.name,
        resourceId,
        definition: JSON.stringify(paymentDefinition(spec.definition, localTarget(byRole))),
        tasks: byRole,
        resumable: spec.definition.waitForCallback,
    }));
    new LocalDescriptor("Workflow", spec.name, described, parent);

    spec.links({
        workflowId: resourceId,
        start: [{ actions: ["payments.start", "payments.describe"], resources: [resourceId] }],
        read: [{ actions: ["get"], resources: [spec.table.apply((link: Link) => `local:table:${link.name}`)] }],
        resume: spec.definition.waitForCallback ? [{ actions: ["payments.resume"], resources: [resourceId] }] : [],
    });
    return { resourceId: described.apply((d) => d.resourceId) };
}

/** How the definition's states reach local functions: by name, as the runtime registered them. */
export function localTarget(functions: Record<TaskRole, string>): DefinitionTarget {
    const name = (role: TaskRole) => {
        const found = functions[role];
        if (!found) throw new Error(`the payment workflow has no ${role} function`);
        return found;
    };
    return {
        resource: (role) => `${LOCAL_FUNCTION_RESOURCE}${name(role)}`,
        serviceErrors: LOCAL_SERVICE_ERRORS,
        waitForToken: (role, payload) => ({ Resource: LOCAL_WAIT_FOR_TOKEN_RESOURCE, Parameters: { FunctionName: name(role), Payload: payload } }),
    };
}

function taskOf(spec: PaymentWorkflowSpec, role: TaskRole) {
    const task = spec.tasks[role];
    if (!task) throw new Error(`PaymentWorkflow '${spec.name}': the component made no ${role} function, which the definition runs`);
    return task;
}
