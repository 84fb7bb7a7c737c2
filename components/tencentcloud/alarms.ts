// Alarms on Tencent Cloud: a Cloud Monitor notice template that alarm policies name in their
// `noticeIds`. Cloud Monitor notifies CAM users (email and SMS) and URL callbacks, not addresses.
import * as pulumi from "@pulumi/pulumi";
import type { AlarmsRealisation, AlarmsSpec } from "../provider";
import { stackScoped } from "./names";
import { MonitorAlarmNotice } from "./sdk";

/** All day, every day: Cloud Monitor's notice windows are seconds since 00:00 and weekdays 1-7. */
const ALWAYS = { startTime: 0, endTime: 86399, weekdays: [1, 2, 3, 4, 5, 6, 7] };

export function tencentAlarms(parent: pulumi.Resource, spec: AlarmsSpec): AlarmsRealisation {
    const notice = new MonitorAlarmNotice(`${spec.name}-alarms`, {
        // Notice names take up to 60 characters (the provider's description).
        name: stackScoped(spec.name).slice(0, 60),
        // Alarms and their recovery, so a cleared alarm is seen to clear.
        noticeType: "ALL",
        noticeLanguage: "en-US",
        userNotices: spec.tencentUserIds.length === 0 ? undefined : [{
            ...ALWAYS,
            receiverType: "USER",
            userIds: spec.tencentUserIds,
            noticeWays: ["EMAIL", "SMS"],
        }],
        urlNotices: spec.webhookUrl === undefined ? undefined : [{ ...ALWAYS, url: spec.webhookUrl }],
    }, { parent });
    return { target: notice.id.apply((id) => ({ id })) };
}
