// The local realisation of every component.
import type { CloudProvider } from "../provider";
import { localFunction } from "./function";

export const localProvider: CloudProvider = {
    function: localFunction,
};
