// The MySQL accounts a Table's functions connect as on Tencent Cloud, one per access level, so that
// the database itself refuses what a link does not allow: `sb_write` (the Table's `link`) and
// `sb_read` (its `readLink`). Each has a generated password, kept only in an SSM secret whose one
// version holds `{"user","password"}`; a function gets the secret's name (SB_TABLE_<NAME>_ACCOUNT_SECRET_NAME)
// and the CAM right to read exactly that secret, and reads it at cold start
// (functions/runtime/clients/tencentcloud/table-credentials.ts). The cluster's root password stays
// with the cluster.
//
// Privileges: each Table has its own cluster, and the client keeps its one table in TABLE_DATABASE,
// so privileges on that database are privileges on that table. They are granted on the database,
// not on the table, because the table does not exist when the privileges are applied (MySQL takes
// a table-level grant on a missing table only if it includes CREATE, and the read account must not
// create): the write account creates the database and the table on first use (CREATE; the
// table's keys are declared inside CREATE TABLE, which needs no INDEX privilege), adds the outbox
// column and key to a table made before the outbox (ALTER: `ALTER TABLE ... ADD COLUMN, ADD KEY`),
// then reads and writes rows (SELECT, INSERT, UPDATE, DELETE; REPLACE needs INSERT and DELETE;
// SELECT ... FOR UPDATE needs SELECT and UPDATE). The read account has SELECT only; its client
// creates nothing. No global privilege for either. test/runtime/tencent-table-accounts.test.ts
// runs the client against MySQL with exactly these grants.
//
// Facts (terraform-provider-tencentcloud v1.83.25, services/cynosdb/resource_tc_cynosdb_account.go
// and resource_tc_cynosdb_account_privileges.go): account names are 1-16 letters, digits and `_`,
// a letter first, a letter or digit last; passwords 8-64 characters; an account is
// `<clusterId>#<name>#<host>`, so the privileges must name the same host (`%`: any address, as the
// cluster's security group already limits who reaches it); `global_privileges` is required (an
// empty set grants none; the provider sends no GlobalPrivileges then); privileges are applied with
// ModifyAccountPrivileges, deleting them does nothing (the account's deletion removes them).
// The SSM secret's name and its CAM resource: ./auth-secret.ts (same facts).
import * as pulumi from "@pulumi/pulumi";
import { target } from "../config";
import type { LinkPermission } from "../link";
import { accountUins, RECOVERY_WINDOW_DAYS } from "./auth-secret";
import { mysqlPassword } from "./password";
import { CynosdbAccount, CynosdbAccountPrivileges, SsmSecret, SsmSecretVersion } from "./sdk";
// The one version of each credentials secret (a new password changes it in place), as the client reads it.
import { CREDENTIALS_VERSION } from "../../functions/runtime/clients/tencentcloud/table-credentials";

/** The database the client keeps tables in. */
export const TABLE_DATABASE = "serverless_blocks";

/** Any client address: the cluster's security group decides who reaches MySQL at all. */
export const ACCOUNT_HOST = "%";

/** What a function calls to read its account's secret, exactly. */
export const CREDENTIALS_ACTIONS = ["ssm:GetSecretValue"];

export type TableAccess = "write" | "read";

/** Each access level's account and its privileges on TABLE_DATABASE. */
export const TABLE_ACCOUNTS: Record<TableAccess, { user: string; privileges: string[] }> = {
    write: { user: "sb_write", privileges: ["SELECT", "INSERT", "UPDATE", "DELETE", "CREATE", "ALTER"] },
    read: { user: "sb_read", privileges: ["SELECT"] },
};

/** One access level's account: the secret that holds its credentials, and the right to read it. */
export interface TableAccount {
    secretName: pulumi.Output<string>;
    permission: LinkPermission;
}

/** The write and read accounts of the Table `spec.name` on `clusterId`, with their secrets. */
export function tableAccounts(
    parent: pulumi.Resource,
    spec: { name: string; protect?: boolean },
    clusterId: pulumi.Input<string>,
): Record<TableAccess, TableAccount> {
    // SSM takes up to 128 letters, digits, '_' and '-': the cluster name (<project>-<stack>-<table>,
    // checked by ./table.ts to be under 64 of those) plus a suffix always fits.
    const secretName = (access: TableAccess) => `${pulumi.getProject()}-${pulumi.getStack()}-${spec.name}-table-${access}`;
    const uins = accountUins();
    const region = target().region;
    const account = (access: TableAccess): TableAccount => {
        const { user, privileges } = TABLE_ACCOUNTS[access];
        const prefix = `${spec.name}-${access}`;
        const secretPassword = mysqlPassword(`${prefix}-password`, parent);
        const created = new CynosdbAccount(prefix, {
            clusterId,
            accountName: user,
            accountPassword: secretPassword,
            host: ACCOUNT_HOST,
            description: `Table ${spec.name}: ${access} access for linked functions`,
        }, { parent });
        new CynosdbAccountPrivileges(`${prefix}-privileges`, {
            clusterId,
            accountName: created.accountName,
            host: ACCOUNT_HOST,
            globalPrivileges: [],
            databasePrivileges: [{ db: TABLE_DATABASE, privileges }],
        }, { parent });
        const secret = new SsmSecret(`${prefix}-credentials`, {
            secretName: secretName(access),
            description: `MySQL account ${user} of Table ${spec.name} (${access} access)`,
            isEnabled: true,
            recoveryWindowInDays: spec.protect ? RECOVERY_WINDOW_DAYS.protected : RECOVERY_WINDOW_DAYS.unprotected,
        }, { parent, protect: spec.protect, retainOnDelete: spec.protect });
        new SsmSecretVersion(`${prefix}-credentials-value`, {
            secretName: secret.secretName,
            versionId: CREDENTIALS_VERSION,
            secretString: pulumi.secret(pulumi.jsonStringify({ user: created.accountName, password: secretPassword })),
        }, { parent });
        const resource = pulumi.interpolate`qcs::ssm:${region}:uin/${uins.ownerUin}:secret/creatorUin/${uins.uin}/${secret.secretName}`;
        return { secretName: secret.secretName, permission: { actions: CREDENTIALS_ACTIONS, resources: [resource] } };
    };
    return { write: account("write"), read: account("read") };
}
