// tencentcloud_cynosdb_cluster: a TDSQL-C (CynosDB) cluster; with `dbMode: "SERVERLESS"` it scales
// its compute between `minCpu` and `maxCpu` and pauses when no connection is open.
import * as pulumi from "@pulumi/pulumi";
import { getPackage, withPackageDefaults } from "./package";
import { BindingSchema, ExistingResourceOptions, resourceInputs } from "./resource-inputs";

/** Instances to buy with the cluster, by type and size. */
export interface CynosdbClusterInstanceInitInfo {
    /** CPU cores of each instance. */
    cpu: pulumi.Input<number>;
    /** Machine type: `common` or `exclusive`. */
    deviceType?: pulumi.Input<string>;
    /** Number of instances, 1-15. */
    instanceCount: pulumi.Input<number>;
    /** `rw` or `ro`. */
    instanceType: pulumi.Input<string>;
    /** Maximum number of serverless read-only instances, 1-15. */
    maxRoCount?: pulumi.Input<number>;
    /** Maximum size of a serverless read-only instance. */
    maxRoCpu?: pulumi.Input<number>;
    /** Memory of each instance, GB. */
    memory: pulumi.Input<number>;
    /** Minimum number of serverless read-only instances, 1-15. */
    minRoCount?: pulumi.Input<number>;
    /** Minimum size of a serverless read-only instance. */
    minRoCpu?: pulumi.Input<number>;
}

/** A database parameter. */
export interface CynosdbClusterParamItem {
    /** The value to set. */
    currentValue: pulumi.Input<string>;
    /** Parameter name, e.g. `character_set_server`. */
    name: pulumi.Input<string>;
    /** The value already set; required when changing `currentValue`. */
    oldValue?: pulumi.Input<string>;
}

/** An address of the cluster's read-write or read-only group. */
export interface CynosdbClusterAddress {
    ip: string;
    port: number;
}

/** An instance of an instance group. */
export interface CynosdbClusterGroupInstance {
    instanceId: string;
    instanceName: string;
}

/** The arguments for constructing a CynosdbCluster. */
export interface CynosdbClusterArgs {
    /** Whether a `SERVERLESS` cluster pauses when idle: `yes` (default) or `no`. */
    autoPause?: pulumi.Input<string>;
    /** Seconds without a connection before a `SERVERLESS` cluster pauses, 600-691200. Default 600. */
    autoPauseDelay?: pulumi.Input<number>;
    /** Auto renewal of a prepaid cluster: 0 manual, 1 automatic. */
    autoRenewFlag?: pulumi.Input<number>;
    /** The availability zone, e.g. `ap-guangzhou-3`. Replaces the cluster. */
    availableZone: pulumi.Input<string>;
    /** `PREPAID` or `POSTPAID_BY_HOUR` (default). Replaces the cluster. */
    chargeType?: pulumi.Input<string>;
    /** Name of the cluster: fewer than 64 letters, digits, `-`, `_` and `.`. */
    clusterName: pulumi.Input<string>;
    /** Kernel minor version, e.g. `3.1.16.002`. */
    cynosVersion?: pulumi.Input<string>;
    /** `NORMAL` (default) or `SERVERLESS`; `MYSQL` only. */
    dbMode?: pulumi.Input<string>;
    /** `MYSQL`. Replaces the cluster. */
    dbType: pulumi.Input<string>;
    /** For `MYSQL`: `5.7` or `8.0`. Replaces the cluster. */
    dbVersion: pulumi.Input<string>;
    /** Delete outright instead of moving to the recycle bin. */
    forceDelete?: pulumi.Input<boolean>;
    /** Number of instances of a provisioned cluster (1 rw + n-1 ro). Replaces the cluster. */
    instanceCount?: pulumi.Input<number>;
    /** CPU cores of a provisioned cluster's read-write instance. */
    instanceCpuCore?: pulumi.Input<number>;
    /** Instances to buy, by type and size. Replaces the cluster. */
    instanceInitInfos?: pulumi.Input<pulumi.Input<CynosdbClusterInstanceInitInfo>[]>;
    /** Length of the maintenance window, seconds. Default 3600. */
    instanceMaintainDuration?: pulumi.Input<number>;
    /** Start of the maintenance window, seconds after 00:00. Default 10800. */
    instanceMaintainStartTime?: pulumi.Input<number>;
    /** Maintenance weekdays, e.g. `["Mon", "Tue"]`. Every day by default. */
    instanceMaintainWeekdays?: pulumi.Input<pulumi.Input<string>[]>;
    /** Memory of a provisioned cluster's read-write instance, GB. */
    instanceMemorySize?: pulumi.Input<number>;
    /** Name of the instance (when modifying). */
    instanceName?: pulumi.Input<string>;
    /** Largest compute of a `SERVERLESS` cluster, in CCU (required for `SERVERLESS`). */
    maxCpu?: pulumi.Input<number>;
    /** Smallest compute of a `SERVERLESS` cluster, in CCU (required for `SERVERLESS`). */
    minCpu?: pulumi.Input<number>;
    /** Hours the old address is kept after a VPC change. */
    oldIpReserveHours?: pulumi.Input<number>;
    /** Database parameters (with `paramTemplateId`). */
    paramItems?: pulumi.Input<pulumi.Input<CynosdbClusterParamItem>[]>;
    /** Parameter template. */
    paramTemplateId?: pulumi.Input<number>;
    /** The `root` account's password. A secret. */
    password: pulumi.Input<string>;
    /** Port of the cluster. Replaces the cluster. */
    port?: pulumi.Input<number>;
    /** @deprecated Use `paramTemplateId`. */
    prarmTemplateId?: pulumi.Input<number>;
    /** Months of a prepaid cluster. Replaces the cluster. */
    prepaidPeriod?: pulumi.Input<number>;
    /** Project ID. Default 0. Replaces the cluster. */
    projectId?: pulumi.Input<number>;
    /** Security groups of the read-only group. */
    roGroupSgs?: pulumi.Input<pulumi.Input<string>[]>;
    /** Security groups of the read-write group. */
    rwGroupSgs?: pulumi.Input<pulumi.Input<string>[]>;
    /** Semi-sync timeout, ms. */
    semiSyncTimeout?: pulumi.Input<number>;
    /** Pause or resume a `SERVERLESS` cluster: `pause` or `resume`. */
    serverlessStatusFlag?: pulumi.Input<string>;
    /** Secondary zone of a multi-zone cluster. */
    slaveZone?: pulumi.Input<string>;
    /** Storage limit of a provisioned cluster, GB. */
    storageLimit?: pulumi.Input<number>;
    /** Storage billing: 0 pay-as-you-go (default), 1 prepaid. */
    storagePayMode?: pulumi.Input<number>;
    /** Subnet of the cluster, in `vpcId`. */
    subnetId: pulumi.Input<string>;
    /** `async`, `semisync` or `sync`. */
    syncWay?: pulumi.Input<string>;
    /** Tags of the cluster. */
    tags?: pulumi.Input<{ [key: string]: pulumi.Input<string> }>;
    /** VPC of the cluster. */
    vpcId: pulumi.Input<string>;
}

/** A TDSQL-C cluster (`tencentcloud_cynosdb_cluster`). */
export class CynosdbCluster extends pulumi.CustomResource {
    /** @internal */
    public static readonly __pulumiType = "tencentcloud:index/cynosdbCluster:CynosdbCluster";

    /** Reads an existing cluster by ID (`cynosdbmysql-...`). */
    public static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): CynosdbCluster {
        return new CynosdbCluster(name, undefined, { ...opts, id });
    }

    /** True if `obj` is a CynosdbCluster, even across copies of the Pulumi SDK. */
    public static isInstance(obj: unknown): obj is CynosdbCluster {
        return pulumi.CustomResource.isInstance(obj) && (obj as { __pulumiType?: string }).__pulumiType === CynosdbCluster.__pulumiType;
    }

    // `declare`: the runtime fills these in super(); an emitted ES2022 field would reset them.
    declare public readonly autoPause: pulumi.Output<string | undefined>;
    declare public readonly autoPauseDelay: pulumi.Output<number | undefined>;
    declare public readonly availableZone: pulumi.Output<string>;
    declare public readonly clusterName: pulumi.Output<string>;
    declare public readonly dbMode: pulumi.Output<string>;
    declare public readonly dbType: pulumi.Output<string>;
    declare public readonly dbVersion: pulumi.Output<string>;
    declare public readonly maxCpu: pulumi.Output<number | undefined>;
    declare public readonly minCpu: pulumi.Output<number | undefined>;
    declare public readonly password: pulumi.Output<string>;
    declare public readonly port: pulumi.Output<number | undefined>;
    declare public readonly rwGroupSgs: pulumi.Output<string[] | undefined>;
    declare public readonly subnetId: pulumi.Output<string>;
    declare public readonly tags: pulumi.Output<{ [key: string]: string } | undefined>;
    declare public readonly vpcId: pulumi.Output<string>;
    /** Charset of the cluster. */
    declare public readonly charset: pulumi.Output<string>;
    /** Status of the cluster. */
    declare public readonly clusterStatus: pulumi.Output<string>;
    /** Creation time. */
    declare public readonly createTime: pulumi.Output<string>;
    /** ID of the read-write instance. */
    declare public readonly instanceId: pulumi.Output<string>;
    /** Status of the instance. */
    declare public readonly instanceStatus: pulumi.Output<string>;
    /** Storage of the instance, GB. */
    declare public readonly instanceStorageSize: pulumi.Output<number>;
    /** Read-only addresses. */
    declare public readonly roGroupAddrs: pulumi.Output<CynosdbClusterAddress[]>;
    /** ID of the read-only group. */
    declare public readonly roGroupId: pulumi.Output<string>;
    /** Instances of the read-only group. */
    declare public readonly roGroupInstances: pulumi.Output<CynosdbClusterGroupInstance[]>;
    /** Read-write addresses: where clients connect. */
    declare public readonly rwGroupAddrs: pulumi.Output<CynosdbClusterAddress[]>;
    /** ID of the read-write group. */
    declare public readonly rwGroupId: pulumi.Output<string>;
    /** Instances of the read-write group. */
    declare public readonly rwGroupInstances: pulumi.Output<CynosdbClusterGroupInstance[]>;
    /** `resume` or `pause` for a `SERVERLESS` cluster. */
    declare public readonly serverlessStatus: pulumi.Output<string>;
    /** Used storage, MB. */
    declare public readonly storageUsed: pulumi.Output<number>;

    constructor(name: string, args: CynosdbClusterArgs, opts?: pulumi.CustomResourceOptions);
    /** Reads an existing cluster: no args, `opts.id` names it. */
    constructor(name: string, args: undefined, opts: ExistingResourceOptions);
    constructor(name: string, args: CynosdbClusterArgs | undefined, opts?: pulumi.CustomResourceOptions) {
        // As the generated SDK does for schema secrets: the password is kept encrypted in the state.
        const secretOutputs = { additionalSecretOutputs: ["password"] };
        super(CynosdbCluster.__pulumiType, name, resourceInputs(cynosdbClusterBinding, args, opts), pulumi.mergeOptions(withPackageDefaults(opts), secretOutputs), false, getPackage());
    }
}

/** CynosdbCluster's registered property names, checked against the provider schema by the unit test. */
export const cynosdbClusterBinding: BindingSchema<CynosdbClusterArgs> = {
    token: CynosdbCluster.__pulumiType,
    inputs: {
        autoPause: true,
        autoPauseDelay: true,
        autoRenewFlag: true,
        availableZone: true,
        chargeType: true,
        clusterName: true,
        cynosVersion: true,
        dbMode: true,
        dbType: true,
        dbVersion: true,
        forceDelete: true,
        instanceCount: true,
        instanceCpuCore: true,
        instanceInitInfos: {
            cpu: true,
            deviceType: true,
            instanceCount: true,
            instanceType: true,
            maxRoCount: true,
            maxRoCpu: true,
            memory: true,
            minRoCount: true,
            minRoCpu: true,
        },
        instanceMaintainDuration: true,
        instanceMaintainStartTime: true,
        instanceMaintainWeekdays: true,
        instanceMemorySize: true,
        instanceName: true,
        maxCpu: true,
        minCpu: true,
        oldIpReserveHours: true,
        paramItems: { currentValue: true, name: true, oldValue: true },
        paramTemplateId: true,
        password: true,
        port: true,
        prarmTemplateId: true,
        prepaidPeriod: true,
        projectId: true,
        roGroupSgs: true,
        rwGroupSgs: true,
        semiSyncTimeout: true,
        serverlessStatusFlag: true,
        slaveZone: true,
        storageLimit: true,
        storagePayMode: true,
        subnetId: true,
        syncWay: true,
        tags: true,
        vpcId: true,
    },
    required: { availableZone: true, clusterName: true, dbType: true, dbVersion: true, password: true, subnetId: true, vpcId: true },
    outputs: [
        "charset",
        "clusterStatus",
        "createTime",
        "instanceId",
        "instanceStatus",
        "instanceStorageSize",
        "roGroupAddrs",
        "roGroupId",
        "roGroupInstances",
        "rwGroupAddrs",
        "rwGroupId",
        "rwGroupInstances",
        "serverlessStatus",
        "storageUsed",
    ],
};
