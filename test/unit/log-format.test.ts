// npm start's rendering of the functions' structured lines (local/log-format.ts).
import * as assert from "node:assert/strict";
import { INVOCATION_END, type LogEntry } from "../../functions/runtime/log";
import { consoleEntry, entryText, isInvocationEnd, parseLogLine, renderLogEntry, useColour } from "../../local/log-format";

const entry: LogEntry = {
    time: "2026-03-01T12:34:56.789Z",
    level: "error",
    msg: "[r-1] unhandled error in HTTP handler: Error: boom",
    requestId: "r-1",
    correlationId: "c-1",
    function: "shop-post-orders",
    route: "POST /orders",
    error: { name: "Error", message: "boom", stack: "Error: boom\n    at handler (create.ts:3:9)" },
    orderId: "o-1",
};

describe("the terminal's log lines", () => {
    it("shows time, level, function, ids, route, message and the other fields, the stack below, without colour", () => {
        const text = renderLogEntry(entry, { colour: false });
        assert.equal(text, "12:34:56.789 ERROR shop-post-orders r-1 (correlation c-1) POST /orders [r-1] unhandled error in HTTP handler: Error: boom orderId=o-1\n    at handler (create.ts:3:9)");
        assert.ok(!text.includes("\x1b["), "no escape codes");
    });

    it("colours the level (red for errors, yellow for warnings) and the function when asked", () => {
        const text = renderLogEntry(entry, { colour: true });
        assert.ok(text.includes("\x1b[31mERROR\x1b[0m"), text);
        assert.ok(text.includes("\x1b[35mshop-post-orders\x1b[0m"), text);
        assert.ok(renderLogEntry({ ...entry, level: "warn" }, { colour: true }).includes("\x1b[33mWARN \x1b[0m"));
        assert.ok(!renderLogEntry({ ...entry, correlationId: "r-1" }, { colour: false }).includes("correlation"), "one id when they are the same");
    });

    it("colours only a terminal, and never with NO_COLOR set", () => {
        assert.equal(useColour({ isTTY: true }, {}), true);
        assert.equal(useColour({ isTTY: false }, {}), false);
        assert.equal(useColour({}, {}), false);
        assert.equal(useColour({ isTTY: true }, { NO_COLOR: "1" }), false);
        assert.equal(useColour({ isTTY: true }, { NO_COLOR: "" }), true, "an empty NO_COLOR does not count");
    });

    it("reads a structured line back, and takes anything else as a plain info line of the function", () => {
        assert.deepEqual(parseLogLine(JSON.stringify(entry), "f"), entry);
        for (const plain of ["hello", "{\"msg\":1}", "[1,2]", JSON.stringify({ ...entry, level: "loud" })]) {
            const parsed = parseLogLine(plain, "f");
            assert.deepEqual([parsed.level, parsed.msg, parsed.function], ["info", plain, "f"], plain);
        }
        assert.equal(consoleEntry("f", "warn", "careful").level, "warn");
        assert.equal(consoleEntry("f", "log", "said").level, "info");
    });

    it("writes a message as console would: the stack after the error's own line, or below a message that does not name it", () => {
        assert.equal(entryText(entry), "[r-1] unhandled error in HTTP handler: Error: boom\n    at handler (create.ts:3:9)");
        assert.equal(entryText({ ...entry, msg: INVOCATION_END }), `${INVOCATION_END}\nError: boom\n    at handler (create.ts:3:9)`);
        assert.equal(entryText({ ...entry, msg: "failed", error: { name: "Error", message: "boom" } }), "failed Error: boom");
        assert.equal(isInvocationEnd({ ...entry, msg: INVOCATION_END, durationMs: 3 }), true);
        assert.equal(isInvocationEnd({ ...entry, msg: INVOCATION_END }), false, "a user's line of that text without a duration");
    });
});
