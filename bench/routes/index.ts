// N routes on one handler: what each route costs a plan. Run by bench/plan.ts.
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { ApiRoute, BusinessApi } from "serverless-blocks/components";

const count = new pulumi.Config("routes").requireNumber("routes");
const routes: { [key: string]: ApiRoute } = {};
// One handler for every route; absolute, since this bench project is not the handler's project.
const handler = `${path.resolve(__dirname, "..", "..", "examples", "shop", "functions", "hello", "greet")}.handler`;
for (let i = 0; i < count; i++) routes[`GET /items${i}/{id}`] = { handler, public: true } as ApiRoute;

export const url = new BusinessApi("bench", { routes }).url;
