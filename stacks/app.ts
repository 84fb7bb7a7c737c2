// The typical application, composed from the components. `pulumi up` deploys it to the stack's
// cloud; `npm start` runs it on this machine; `npm run plan` shows what either would create.
import { closure, Function } from "../components";
import { http } from "../functions/runtime";

export default function app() {
    const greet = new Function("greet", {
        handler: "functions/hello/greet.handler",
        description: "Greets a caller by name",
    });

    // An inline handler: code that lives beside the infrastructure it belongs to.
    const about = new Function("about", {
        code: closure(http(async () => ({
            service: "serverless-blocks",
            greeter: process.env.SB_FUNCTION_GREET_NAME,
        }))),
        link: [greet.link],
        description: "Describes the service and the functions it links",
    });

    return { greetFunction: greet.functionName, aboutFunction: about.functionName };
}
