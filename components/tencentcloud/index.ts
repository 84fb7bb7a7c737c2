// The Tencent Cloud realisation of every component.
import type { CloudProvider } from "../provider";
import { tencentFunction } from "./function";

export const tencentProvider: CloudProvider = {
    function: tencentFunction,
};
