// The Pulumi program (Pulumi.yaml `main`): the typical app, for the stack's cloud. At the
// project's root, so the CLI runs it with the root as its working directory and tsconfig.json.
// `export =` makes the app's outputs the stack's outputs: the SDK's launcher calls a module that
// is itself a function, and unwraps `default` only for ES modules.
import { app } from "./stacks/app";

export = app();
