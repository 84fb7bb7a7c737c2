// GET /orders: only for signed-in users (the route is not public, the API trusts `auth`'s tokens).
const { http } = require("serverless-blocks/functions/runtime");

exports.handler = http(async (req) => ({ body: { user: req.claims && req.claims.sub, orders: [] } }));
