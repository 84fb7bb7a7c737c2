// The AWS realisation of every component.
import type { CloudProvider } from "../provider";
import { awsFunction } from "./function";

export const awsProvider: CloudProvider = {
    function: awsFunction,
};
