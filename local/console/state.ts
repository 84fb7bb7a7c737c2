// What the console keeps about one runtime beyond what the runtime itself holds: the recent
// events per hub. Attached as soon as the hubs run (local/start.ts does it right after start, so
// no event is missed; a server built in a test attaches it at its first console request).
import type { LocalRuntime } from "../runtime";
import { EventLog } from "./event-log";

interface ConsoleState {
    events?: EventLog;
}

const states = new WeakMap<LocalRuntime, ConsoleState>();

export function consoleState(runtime: LocalRuntime): ConsoleState {
    let state = states.get(runtime);
    if (!state) states.set(runtime, (state = {}));
    if (!state.events && runtime.started) state.events = new EventLog(runtime.events);
    return state;
}
