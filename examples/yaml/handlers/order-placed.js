// Runs for each OrderPlaced event on the hub; a throw retries it, then it goes to the dead-letter queue.
const { onEvent } = require("serverless-blocks/functions/runtime");

exports.handler = onEvent(async (event) => {
    console.log("order placed", event.id, JSON.stringify(event.detail));
});
