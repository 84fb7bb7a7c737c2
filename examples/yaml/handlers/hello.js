// GET /hello: a handler of this project's own. The runtime comes from the package by name; the
// bundler resolves it from the package, so this project installs nothing.
const { http } = require("serverless-blocks/functions/runtime");

exports.handler = http(async (req) => ({ body: { hello: req.query.name || "world", path: req.path } }));
