// Table on Tencent Cloud: a TDSQL-C for MySQL cluster in Serverless mode (compute scales between
// minCpu and maxCpu CCU and pauses after autoPauseDelay without a connection; storage is billed as
// used), in the stack's table network (./network.ts: VPC, a subnet per zone, security group)
// unless `network` names existing ones. Functions that link the table run in its subnet and
// connect with MySQL's own authentication, as an account of their link's access level
// (./table-accounts.ts: `sb_write` for `link`, `sb_read`, SELECT only, for `readLink`), whose
// credentials they read from an SSM secret at cold start: the link carries the secret's name and
// the CAM right to read that one secret, never a password. The cluster's `root` password is for the
// cluster only. The runtime client (functions/runtime/clients/tencentcloud/table.ts) creates the
// database and the table on first use through the write account.
//
// TLS: the cluster's read-write instance has SSL turned on (`tencentcloud_cynosdb_ssl`,
// services/cynosdb/resource_tc_cynosdb_ssl.go: cluster_id, instance_id = the cluster's `instanceId`
// output, status "ON"; turning it on restarts the instance), and the link says
// SB_TABLE_<NAME>_TLS=required, so that the client connects over TLS 1.2+ or not at all. The link's
// value waits for SSL to be on, so no function deploys before. The client cannot verify the server's
// certificate: TDSQL-C publishes its CA (20 years) only as a zip to download, TencentDB-SSL-CA.zip
// holding a .pem (cloud.tencent.com/document/product/1003/109673, "设置 SSL 加密"; the resource's
// `downloadUrl`), which the deploy would have to fetch and unpack to hand the pem to the client.
// So TLS here defeats passive sniffing inside the VPC, not an active man in the middle there (the
// table network's security group admits the VPC only). The provider never turns SSL off when the
// resource is deleted (its Delete is a no-op), and its Update acts on the cluster and instance of
// the resource's id, so a new cluster or instance replaces it. The first SSL connection to a paused
// Serverless instance may fail and must be retried (same doc).
//
// Facts (terraform-provider-tencentcloud v1.83.25, tencentcloud_cynosdb_cluster; CynosDB API
// 2019-01-07 CreateClusters): `db_mode` SERVERLESS needs `min_cpu`/`max_cpu`; `instance_count`
// is for provisioned clusters only; `auto_pause` defaults to yes, `auto_pause_delay` is 600-691200 s;
// the cluster name is under 64 letters, digits, `-`, `_`, `.`; the admin password is 8-64
// characters with three of upper case, lower case, digits and symbols. Cluster resources in CAM:
// `qcs::cynosdb:$region:$account:instance/$clusterId` (TDSQL-C "Authorization Policy Syntax").
import * as pulumi from "@pulumi/pulumi";
import { ConfigError, target } from "../cloud";
import { Link, linkVariable } from "../link";
import type { TableRealisation, TableSpec } from "../provider";
import { keyEnvironment, readLinkOf } from "../table";
import { accountUin } from "./account";
import { MYSQL_PORT, tableNetwork } from "./network";
import { mysqlPassword } from "./password";
import { CynosdbCluster, CynosdbSsl } from "./sdk";
import { TABLE_DATABASE, tableAccounts } from "./table-accounts";

export { TABLE_DATABASE };

/** The cluster: MySQL 8.0, Serverless, from a quarter CCU up to 2 CCU, paused after 10 idle minutes. */
export const SERVERLESS_CLUSTER = {
    dbType: "MYSQL",
    dbVersion: "8.0",
    dbMode: "SERVERLESS",
    minCpu: 0.25,
    maxCpu: 2,
    autoPause: "yes",
    autoPauseDelay: 600,
    port: MYSQL_PORT,
} as const;

/**
 * A zone per region where TDSQL-C is sold, for tables that do not name one: Guangzhou from the
 * provider's Serverless example, Shanghai and Beijing from TDSQL-C's multi-AZ zone table
 * (tencentcloud.com/document/product/1098/44327). Elsewhere `availabilityZone` is required.
 */
export const DEFAULT_ZONES: Record<string, string> = {
    "ap-guangzhou": "ap-guangzhou-4",
    "ap-shanghai": "ap-shanghai-2",
    "ap-beijing": "ap-beijing-3",
};

/** SB_TABLE_<NAME>_TLS: the runtime client connects over TLS or fails (never plaintext). */
export const TABLE_TLS_REQUIRED = "required";

const CLUSTER_NAME = /^[A-Za-z0-9_.-]{1,63}$/;

export function tencentTable(parent: pulumi.Resource, spec: TableSpec): TableRealisation {
    const where = `Table '${spec.name}'`;
    const region = target().region;
    // Everything Tencent-specific is checked before the first child registers.
    const zone = spec.availabilityZone ?? DEFAULT_ZONES[region];
    if (zone === undefined) {
        throw new ConfigError(`${where} availabilityZone`, undefined, `there is no default zone for ${region}; name a zone of ${region} where TDSQL-C Serverless is sold, e.g. ${region}-3`);
    }
    if (!zone.startsWith(`${region}-`)) throw new ConfigError(`${where} availabilityZone`, zone, `expected a zone of the stack's region ${region}`);
    const clusterName = `${pulumi.getProject()}-${pulumi.getStack()}-${spec.name}`;
    if (!CLUSTER_NAME.test(clusterName)) {
        throw new ConfigError(`${where} cluster name`, clusterName, "TDSQL-C cluster names (<project>-<stack>-<table>) take fewer than 64 letters, digits, '-', '_' and '.'");
    }

    const network = spec.network
        ? { vpcId: pulumi.output(spec.network.vpcId), subnetId: pulumi.output(spec.network.subnetId), securityGroupId: pulumi.output(spec.network.securityGroupId) }
        : tableNetwork(parent, spec.name, zone, where);

    const secretPassword = mysqlPassword(`${spec.name}-password`, parent);

    const cluster = new CynosdbCluster(spec.name, {
        clusterName,
        availableZone: zone,
        vpcId: network.vpcId,
        subnetId: network.subnetId,
        rwGroupSgs: [network.securityGroupId],
        ...SERVERLESS_CLUSTER,
        password: secretPassword,
        // Deleting a protected (prod) table's cluster keeps it in the recycle bin; others go at once.
        forceDelete: !spec.protect,
    }, { parent, protect: spec.protect, retainOnDelete: spec.protect });

    // Delete is a no-op in the provider; protected like the cluster, so that SSL is not turned off by accident.
    const ssl = new CynosdbSsl(`${spec.name}-ssl`, {
        clusterId: cluster.id,
        instanceId: cluster.instanceId,
        status: "ON",
    }, { parent, protect: spec.protect, retainOnDelete: spec.protect, replaceOnChanges: ["clusterId", "instanceId"] });

    const tableName = spec.name.replace(/-/g, "_");
    const address = cluster.rwGroupAddrs.apply((addresses) => {
        const first = addresses?.[0];
        if (!first) throw new Error(`${where}: the cluster reports no read-write address`);
        return first;
    });
    const variable = (key: string) => linkVariable("table", spec.name, key);
    const resourceId = pulumi.interpolate`qcs::cynosdb:${region}:uin/${accountUin()}:instance/${cluster.id}`;
    const accounts = tableAccounts(parent, spec, cluster.id);
    const link: Link = {
        type: "table",
        name: spec.name,
        environment: {
            ...keyEnvironment(spec, tableName),
            [variable("host")]: address.ip,
            [variable("port")]: address.apply((a) => String(a.port)),
            [variable("database")]: TABLE_DATABASE,
            [variable("account_secret_name")]: accounts.write.secretName,
            // Known once SSL is on: the functions that link the table deploy after it.
            [variable("tls")]: ssl.status.apply(() => TABLE_TLS_REQUIRED),
        },
        // Reading its account's secret; MySQL then authenticates the function by that password.
        permissions: [accounts.write.permission],
        resources: { tableName, clusterId: cluster.id, vpcId: network.vpcId, subnetId: network.subnetId },
    };
    // The read account's secret instead: MySQL itself refuses its writes (SELECT only), and the
    // runtime client refuses them first with a clear error (SB_TABLE_<NAME>_ACCESS=read).
    const readLink = readLinkOf(
        { ...link, environment: { ...link.environment, [variable("account_secret_name")]: accounts.read.secretName } },
        [accounts.read.permission],
    );
    return { tableName: pulumi.output(tableName), resourceId, link, readLink };
}
