// Which function a message goes to, as API Gateway's route selection expression
// `$request.body.<routeField>` picks it: a JSON object whose route field names one of the
// Realtime's actions goes to that action's function; anything else (another action, `subscribe`
// and `unsubscribe`, text that is not JSON) to `$default`, whose adapter answers subscriptions.
import type { LocalRealtimeDescriptor } from "../../components/local/descriptor";

export function routeOf(text: string, definition: Pick<LocalRealtimeDescriptor, "routeField" | "functions">): { route: string; functionName: string } {
    const action = actionOf(text, definition.routeField);
    // `$`-routes are the platform's own: a message cannot select them by naming them.
    if (action !== undefined && !action.startsWith("$") && Object.hasOwn(definition.functions, action)) return { route: action, functionName: definition.functions[action] };
    return { route: "$default", functionName: definition.functions.$default };
}

function actionOf(text: string, field: string): string | undefined {
    let body: unknown;
    try {
        body = JSON.parse(text);
    } catch {
        return undefined;
    }
    const value = typeof body === "object" && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>)[field] : undefined;
    return typeof value === "string" && value !== "" ? value : undefined;
}
