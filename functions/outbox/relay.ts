// The outbox relay of one Table (components/outbox-relay.ts runs it every minute): publishes the
// events written with the table's items that their writer could not publish, then clears them.
// A run that could not publish everything fails, so its AsyncTask retries it, dead-letters it
// after its retries, and alarms; what it left pending the next run tries again.
import { onEvent } from "../runtime";
import { relayOutbox } from "../runtime/clients/table";

export const handler = onEvent(async () => {
    const name = process.env.SB_OUTBOX_TABLE;
    if (!name) throw new Error("SB_OUTBOX_TABLE is not set: the relay runs as a Table's outbox relay (Table 'outbox' arg)");
    const report = await relayOutbox(name);
    if (report.events > 0) console.log(`table '${name}': relayed ${report.events} event(s) of ${report.relayed} item(s)`);
    if (report.failures.length > 0) {
        throw new Error(`table '${name}': ${report.failures.length} item(s) still have events pending: ${report.failures.slice(0, 5).join("; ")}`);
    }
});
