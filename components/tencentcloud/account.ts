// The account's UIN, which CAM resource strings name (`qcs::scf:<region>:uin/<uin>:...`).
import * as pulumi from "@pulumi/pulumi";
import { getPackage } from "./sdk";

export function accountUin(): pulumi.Output<string> {
    return pulumi.output(
        pulumi.runtime.invoke("tencentcloud:index/getUserInfo:getUserInfo", {}, {}, getPackage()).then((info) => String(info.uin)),
    );
}
