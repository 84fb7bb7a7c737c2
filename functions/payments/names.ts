// Names the PaymentWorkflow component and its built-in functions share: the error names its
// tasks fail with on purpose (TaskFailed errorTypes, caught by name in
// components/payment/definition.ts), and the variable naming the workflow a function serves.
// Kept apart from the tasks, so the component imports names, not the table client.

export const STEP_ERRORS = {
    /** "Record payment" found the payment started by another execution. */
    alreadyStarted: "PaymentAlreadyStarted",
    /** Callback mode: the outcome was decided before the wait began, so there is nothing to wait for. */
    settled: "PaymentSettled",
} as const;

/** Set on the workflow's own functions (built-in tasks, callback): the PaymentWorkflow they serve. */
export const SERVES_ENV = "SB_PAYMENTS_SERVES";
